package org.vqlab.core.model;

import ai.djl.ndarray.types.Shape;
import org.vqlab.core.config.Section;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.quantizer.Quantizers;

/**
 * What a model factory needs besides its own section: the data shape (C, H, W), the quantizer
 * section, a way to build quantizers of any registered type, and how the data's 8-bit pixels were
 * normalised (decoder likelihoods need the bin width; reported MSE is in [0, 1] pixel units).
 */
public record ModelContext(Shape imageShape, Section quantizerSection, Quantizers quantizers,
    PixelNormalization normalization) {

  /** A context for data normalised with {@link PixelNormalization#CENTERED}, the datasets' default. */
  public ModelContext(Shape imageShape, Section quantizerSection, Quantizers quantizers) {
    this(imageShape, quantizerSection, quantizers, PixelNormalization.CENTERED);
  }
}
