package org.vqlab.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Progress;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The frames of a clip dataset (C, T, H, W) as a dataset of images (C, H, W): item i is frame
 * i mod T of clip i / T, with the clip's label. Image models train on video through it, each batch
 * a shuffled mix of frames from many clips. Only the frames of a batch are copied to the device;
 * a wrapped {@link ByteItemDataset}'s flips apply per clip, as they would to the whole clip.
 */
public final class VideoFrames implements VqDataset {
  private final VqDataset clips;

  private VideoFrames(VqDataset clips) {
    this.clips = clips;
  }

  /** The frames of {@code data} when it holds clips; {@code data} itself when it holds images. */
  public static VqDataset of(VqDataset data) {
    return isVideo(data) ? new VideoFrames(data) : data;
  }

  /** Whether items are clips (C, T, H, W). */
  public static boolean isVideo(VqDataset data) {
    return data.itemShape().dimension() == 4;
  }

  /** (C, H, W) of one image or frame. */
  public static Shape frameShape(Shape item) {
    return item.dimension() == 4 ? new Shape(item.get(0), item.get(2), item.get(3)) : item;
  }

  /** The clip dataset the frames come from. */
  public VqDataset clips() {
    return clips;
  }

  private int frames() {
    return Math.toIntExact(clips.itemShape().get(1));
  }

  @Override
  public Split split() {
    return clips.split();
  }

  @Override
  public void prepare(Progress progress) throws IOException {
    clips.prepare(progress);
  }

  @Override
  public long size() {
    return clips.size() * frames();
  }

  @Override
  public Shape itemShape() {
    return frameShape(clips.itemShape());
  }

  @Override
  public int numClasses() {
    return clips.numClasses();
  }

  @Override
  public PixelNormalization normalization() {
    return clips.normalization();
  }

  @Override
  public long shuffleSeed() {
    return clips.shuffleSeed();
  }

  @Override
  public void setEpoch(long epoch) {
    clips.setEpoch(epoch);
  }

  @Override
  public LabeledBatch batch(NDManager manager, long[] indices) {
    Shape frame = itemShape();
    int frameBytes = Math.toIntExact(frame.size());
    byte[] gathered = new byte[Math.multiplyExact(indices.length, frameBytes)];
    long[] labels = numClasses() > 0 ? new long[indices.length] : null;
    for (int b = 0; b < indices.length; b++) {
      System.arraycopy(rawItem(indices[b]), 0, gathered, b * frameBytes, frameBytes);
      if (labels != null) {
        labels[b] = label(indices[b]);
      }
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(gathered.length).order(ByteOrder.nativeOrder());
    buffer.put(gathered).rewind();
    NDArray images;
    try (NDArray bytes = manager.create(buffer, new Shape(indices.length).addAll(frame), DataType.UINT8)) {
      images = bytes.toType(DataType.FLOAT32, false).muli((float) normalization().binWidth())
          .addi((float) normalization().low());
    } finally {
      Reference.reachabilityFence(buffer);
    }
    return new LabeledBatch(images, labels == null ? null : manager.create(labels));
  }

  /** Frame i mod T of clip i / T, (C, H, W) bytes, flipped with its clip. */
  @Override
  public byte[] rawItem(long index) {
    check(index);
    int t = frames();
    long clip = index / t;
    int f = (int) (index % t);
    byte[] whole = clips.rawItem(clip);
    Shape s = clips.itemShape();
    int channels = Math.toIntExact(s.get(0));
    int plane = Math.toIntExact(s.get(2) * s.get(3));
    byte[] out = new byte[channels * plane];
    for (int c = 0; c < channels; c++) {
      System.arraycopy(whole, (c * t + f) * plane, out, c * plane, plane);
    }
    if (clips instanceof ByteItemDataset b && b.isFlipped(clip)) {
      ByteItemDataset.flipRows(out, 0, out.length, Math.toIntExact(s.get(3)));
    }
    return out;
  }

  @Override
  public int label(long index) {
    check(index);
    return clips.label(index / frames());
  }

  private void check(long index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("frame " + index + " outside " + size() + " frames");
    }
  }
}
