package org.vqlab.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clips of numbered PNG frames written by the test; pixel (0, 0) of frame n is 10 n + clip. */
class VideoFolderTest {
  @TempDir
  Path dir;

  private void clip(Path root, String name, int clip, int frames) throws IOException {
    for (int n = 1; n <= frames; n++) {
      var img = ImageFolderTest.gray(4, 4, 0);
      img.getRaster().setSample(0, 0, 0, 10 * n + clip);
      ImageFolderTest.png(img, root.resolve(name).resolve("frame_" + n + ".png"));
    }
  }

  @Test
  void windowsFollowNumericFrameOrderAndStride() throws IOException {
    clip(dir.resolve("train"), "a", 1, 12); // windows of 4 with stride 3 start at 1, 4, 7
    clip(dir.resolve("train"), "b", 2, 5); // starts at 1
    clip(dir.resolve("test"), "c", 3, 4);
    VideoFolderDataset d = VideoFolderDataset.builder().setRoot(dir.resolve("train"))
        .optTestRoot(dir.resolve("test")).optFrames(4).optStride(3).optSize(4)
        .optColor(ColorMode.GRAY).build();
    d.prepare(null);
    assertEquals(4, d.size());
    assertEquals(new Shape(1, 4, 4, 4), d.itemShape());
    int[][] firstFrames = {{1, 1}, {4, 1}, {7, 1}, {1, 2}};
    for (int i = 0; i < 4; i++) {
      byte[] item = d.rawItem(i);
      for (int t = 0; t < 4; t++) {
        // (C, T, H, W): pixel (0, 0) of frame t sits at t * 16.
        assertEquals(10 * (firstFrames[i][0] + t) + firstFrames[i][1], item[t * 16] & 0xff,
            "window " + i + " frame " + t);
      }
    }
    assertEquals(-1, d.label(0));
    try (NDManager m = NDManager.newBaseManager()) {
      LabeledBatch b = d.batch(m, new long[] {3, 0});
      assertEquals(new Shape(2, 1, 4, 4, 4), b.images().getShape());
      assertEquals(-0.5 + (10 * 2 + 2) / 255.0, b.images().getFloat(0, 0, 1, 0, 0), 1e-6);
      assertEquals(null, b.labels());
    }
    VideoFolderDataset test = VideoFolderDataset.builder().setRoot(dir.resolve("train"))
        .optTestRoot(dir.resolve("test")).optFrames(4).optStride(3).optSize(4)
        .optColor(ColorMode.GRAY).optSplit(Split.TEST).build();
    test.prepare(null);
    assertEquals(1, test.size());
    assertEquals(10 * 4 + 3, test.rawItem(0)[3 * 16] & 0xff);
  }

  @Test
  void emptyClipFolderIsNamed() throws IOException {
    clip(dir, "a", 1, 4);
    Files.createDirectories(dir.resolve("b"));
    DatasetError e = assertThrows(DatasetError.class, () -> VideoFolderDataset.builder().setRoot(dir)
        .optTestFraction(0).optFrames(2).optSize(4).build().prepare(null));
    assertTrue(e.getMessage().startsWith("empty folder " + dir.resolve("b")), e.getMessage());
  }

  @Test
  void folderWithoutClipsIsNamed() throws IOException {
    Files.createDirectories(dir.resolve("none"));
    DatasetError e = assertThrows(DatasetError.class, () -> VideoFolderDataset.builder()
        .setRoot(dir.resolve("none")).build().prepare(null));
    assertTrue(e.getMessage().startsWith("empty folder " + dir.resolve("none") + ": no clip"), e.getMessage());
  }

  @Test
  void clipsShorterThanTheWindowAreReported() throws IOException {
    clip(dir, "a", 1, 3);
    DatasetError e = assertThrows(DatasetError.class, () -> VideoFolderDataset.builder().setRoot(dir)
        .optTestFraction(0).optFrames(5).optSize(4).build().prepare(null));
    assertTrue(e.getMessage().contains("has 5 frames (dataset.frames); the longest has 3"), e.getMessage());
  }

  @Test
  void unnumberedFrameIsNamed() throws IOException {
    clip(dir, "a", 1, 2);
    ImageFolderTest.png(ImageFolderTest.gray(4, 4, 0), dir.resolve("a/cover.png"));
    DatasetError e = assertThrows(DatasetError.class, () -> VideoFolderDataset.builder().setRoot(dir)
        .optTestFraction(0).optFrames(2).optSize(4).build().prepare(null));
    assertTrue(e.getMessage().startsWith("frame " + dir.resolve("a/cover.png") + " has no number"),
        e.getMessage());
  }
}
