package org.vqlab.core.data;

/**
 * How 8-bit pixel values v in {0..255} map to floats: x = low + (high - low) * v / 255. The map is
 * invertible on the 256 levels, so the discrete data is always recoverable.
 */
public record PixelNormalization(double low, double high) {
  public PixelNormalization {
    if (!(high > low)) {
      throw new IllegalArgumentException("normalisation range must have high > low, got [" + low
          + ", " + high + "]");
    }
  }

  public static final PixelNormalization CENTERED = new PixelNormalization(-0.5, 0.5);

  public double toFloat(int value) {
    return low + (high - low) * value / 255.0;
  }

  public int toByte(double x) {
    long v = Math.round((x - low) / (high - low) * 255.0);
    return (int) Math.max(0, Math.min(255, v));
  }

  /** The width of one of the 256 bins in normalised units. */
  public double binWidth() {
    return (high - low) / 255.0;
  }
}
