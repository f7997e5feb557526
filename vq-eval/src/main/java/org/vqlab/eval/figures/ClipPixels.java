package org.vqlab.eval.figures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.vqlab.core.data.PixelNormalization;

/**
 * A batch of clips (B, T, C, H, W), C = 1 or 3, as 8-bit values on the host, mapped back with the
 * dataset's normalisation as {@link ImageGrid} does (one transfer for the whole batch).
 */
record ClipPixels(int[] values, int clips, int frames, int channels, int height, int width) {

  static ClipPixels of(NDArray clips, PixelNormalization norm) {
    Shape s = clips.getShape();
    if (s.dimension() != 5 || (s.get(2) != 1 && s.get(2) != 3)) {
      throw new IllegalArgumentException("clips must be (B, T, C, H, W) with C = 1 or 3, got " + s);
    }
    NDArray bytes = clips.sub(norm.low()).div(norm.high() - norm.low()).mul(255).round().clip(0, 255)
        .toType(DataType.INT32, false);
    int[] v = bytes.toIntArray();
    bytes.close();
    return new ClipPixels(v, (int) s.get(0), (int) s.get(1), (int) s.get(2), (int) s.get(3),
        (int) s.get(4));
  }

  /**
   * Checks that the generated clips {@code o} pair with these (real) clips shape for shape and that
   * {@code given} frames of them exist.
   */
  void checkPair(ClipPixels o, int given) {
    if (clips != o.clips || frames != o.frames || channels != o.channels || height != o.height
        || width != o.width) {
      throw new IllegalArgumentException("real (" + clips + ", " + frames + ", " + channels + ", "
          + height + ", " + width + ") and generated (" + o.clips + ", " + o.frames + ", "
          + o.channels + ", " + o.height + ", " + o.width + ") clips differ in shape");
    }
    if (given < 0 || given > frames) {
      throw new IllegalArgumentException("given must be in [0, " + frames + "], got " + given);
    }
  }

  /** The 8-bit value of channel ch at (y, x) of frame t of clip b. */
  int value(int b, int t, int ch, int y, int x) {
    return values[(((b * frames + t) * channels + ch) * height + y) * width + x];
  }

  /** 0xRRGGBB of a pixel (gray repeated for C = 1). */
  int rgb(int b, int t, int y, int x) {
    int r = value(b, t, 0, y, x);
    if (channels == 1) {
      return (r << 16) | (r << 8) | r;
    }
    return (r << 16) | (value(b, t, 1, y, x) << 8) | value(b, t, 2, y, x);
  }
}
