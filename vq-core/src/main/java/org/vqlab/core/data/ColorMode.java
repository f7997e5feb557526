package org.vqlab.core.data;

/** The channels images are decoded to: 1 (luma) or 3 (sRGB). */
public enum ColorMode {
  GRAY(1), RGB(3);

  private final int channels;

  ColorMode(int channels) {
    this.channels = channels;
  }

  public int channels() {
    return channels;
  }
}
