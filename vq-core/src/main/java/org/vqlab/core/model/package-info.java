/**
 * Autoencoders and what a model plugin needs. A model implements
 * {@link org.vqlab.core.model.Autoencoder}; its factory gets a
 * {@link org.vqlab.core.model.ModelContext} with the data shape, the {@code quantizer} section and
 * {@link org.vqlab.core.quantizer.Quantizers} to build quantizers of any registered type (never a
 * concrete quantizer class), and returns the model uninitialised; the caller initialises it for
 * (B, C, H, W). Codes are decoded through {@code Quantizer.decode}, so any quantizer plugin works.
 * The encoder output's scale at initialisation matters to the quantizer (about 0.01 RMS for the
 * built-in encoders; see {@link org.vqlab.core.quantizer}). Constants under autograd go through
 * {@link org.vqlab.core.nn.ScalarOps}; results of ops on parameters alone are attached to the
 * step's manager (see {@link org.vqlab.core.plugin}).
 */
package org.vqlab.core.model;
