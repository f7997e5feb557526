package org.vqlab.priors;

/** The {@code prior} section for {@code type = video_pixelcnn}; see config/prior/video_pixelcnn.conf. */
public record VideoPixelCnnConfig(int channels, int layers, int kernelSize, double dropout,
    boolean classConditional, int context, int conditioningChannels, int conditioningLayers) {

  public VideoPixelCnnConfig {
    if (context < 1) {
      throw new IllegalArgumentException("context must be >= 1 past frame, got " + context);
    }
    // The per-frame keys share their checks (and messages) with the image prior.
    new GatedPixelCnnConfig(channels, layers, kernelSize, dropout, classConditional,
        conditioningChannels, conditioningLayers);
  }

  /** The gated PixelCNN of one frame; its conditioning keys size the stack over past frames. */
  GatedPixelCnnConfig frame() {
    return new GatedPixelCnnConfig(channels, layers, kernelSize, dropout, classConditional,
        conditioningChannels, conditioningLayers);
  }
}
