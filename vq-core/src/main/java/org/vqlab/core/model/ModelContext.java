package org.vqlab.core.model;

import ai.djl.ndarray.types.Shape;
import org.vqlab.core.config.Section;
import org.vqlab.core.quantizer.Quantizers;

/**
 * What a model factory needs besides its own section: the data shape (C, H, W), the quantizer
 * section and a way to build quantizers of any registered type.
 */
public record ModelContext(Shape imageShape, Section quantizerSection, Quantizers quantizers) {}
