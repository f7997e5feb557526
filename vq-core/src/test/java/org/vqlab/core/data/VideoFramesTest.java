package org.vqlab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vqlab.core.testing.FashionMnistFiles;

/** Frames of real moving Fashion-MNIST clips as an image dataset. */
class VideoFramesTest {

  @Test
  void frameIOfTheAdapterIsFrameIModTOfClipIDivT() throws Exception {
    DataLocations locations = new DataLocations(FashionMnistFiles.require(), null, List.of(),
        Path.of("/nonexistent"));
    MovingItemsDataset clips = MovingItemsDataset.builder(IdxDataset.FASHION_MNIST)
        .configureSource(s -> s.optLocations(locations)).optSplit(Split.TEST).optFrames(5)
        .optFrameSize(32).optNumItems(2).optNumClips(4).optSeed(1).build();
    clips.prepare(null);
    VqDataset frames = VideoFrames.of(clips);
    assertEquals(20, frames.size());
    assertEquals(new Shape(1, 32, 32), frames.itemShape());
    long[] idx = {13, 0, 4, 7};
    try (NDManager m = NDManager.newBaseManager(Device.cpu());
        LabeledBatch f = frames.batch(m, idx);
        LabeledBatch c = clips.batch(m, new long[] {2, 0, 0, 1})) {
      assertEquals(new Shape(4, 1, 32, 32), f.images().getShape());
      int[] frame = {3, 0, 4, 2};
      for (int b = 0; b < idx.length; b++) {
        assertArrayEquals(c.images().get(new NDIndex("{}, :, {}", b, frame[b])).toFloatArray(),
            f.images().get(b).toFloatArray(), "frame " + idx[b]);
      }
    }
    // An image dataset stays itself.
    assertSame(frames, VideoFrames.of(frames));
  }
}
