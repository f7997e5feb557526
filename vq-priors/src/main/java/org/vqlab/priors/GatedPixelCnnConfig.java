package org.vqlab.priors;

/** The {@code prior} section for {@code type = gated_pixelcnn}; see config/prior/gated_pixelcnn.conf. */
public record GatedPixelCnnConfig(int channels, int layers, int kernelSize, double dropout,
    boolean classConditional, int conditioningChannels, int conditioningLayers) {

  public GatedPixelCnnConfig {
    if (channels <= 0) {
      throw new IllegalArgumentException("channels must be > 0, got " + channels);
    }
    if (layers < 0) {
      throw new IllegalArgumentException("layers must be >= 0, got " + layers);
    }
    if (kernelSize < 3 || kernelSize % 2 == 0) {
      throw new IllegalArgumentException("kernel_size must be odd and >= 3, got " + kernelSize);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    if (conditioningChannels <= 0) {
      throw new IllegalArgumentException("conditioning_channels must be > 0, got " + conditioningChannels);
    }
    if (conditioningLayers < 0) {
      throw new IllegalArgumentException("conditioning_layers must be >= 0, got " + conditioningLayers);
    }
  }
}
