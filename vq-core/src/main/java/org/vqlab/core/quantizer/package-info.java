/**
 * Quantizers and what a quantizer plugin needs.
 *
 * <p>A quantizer implements {@link org.vqlab.core.quantizer.Quantizer}: {@code quantize} maps
 * z in any of three layouts, (N, D), (B, D, H, W) images or (B, D, T, H, W) video, to the
 * {@link org.vqlab.core.quantizer.QuantizerOutput} (quantized in z's layout with its gradient
 * path, int64 indices in [0, K) in z's layout without D, scalar losses, the batch's perplexity and
 * codes used) and {@code decode} maps indices back to the vectors. Public helpers:
 * <ul>
 *   <li>{@link org.vqlab.core.quantizer.CodeLayout}: the three layouts to (N, D) rows and back
 *       ({@code flatten}, {@code unflatten}, {@code indexShape}, {@code ofIndices} for decode);
 *   <li>{@link org.vqlab.core.quantizer.CodeHistogram}: per-code counts, perplexity and codes
 *       used, so those numbers mean the same for every quantizer;
 *   <li>{@link org.vqlab.core.quantizer.CodebookSearch}: squared distances and the nearest code
 *       in chunks, per-code sums (for codebook quantizers);
 *   <li>{@link org.vqlab.core.nn.ScalarOps}: autograd-safe arithmetic with constants (use it for
 *       every {@code beta * loss}; DJL's {@code mul(Number)} corrupts gradients).
 * </ul>
 *
 * <p><b>State</b> that is not trained by gradient (EMA statistics, step counters, usage) is a
 * {@code Parameter} with {@code requiresGrad = false}, so it is saved and loaded with the model
 * and the optimiser skips it. A model initialises its quantizer for (1, D) rows
 * ({@code initialize(manager, FLOAT32, new Shape(1, D))}) and calls it per step with the step's
 * arrays: results computed from the codebook alone belong to the parameter's manager and must be
 * attached to the step's ({@code q.attach(z.getManager())}), see {@link org.vqlab.core.plugin}.
 *
 * <p><b>Input scale</b>: the built-in encoders' outputs have an RMS of about 0.01 at
 * initialisation (default {@code model=vqvae}, PyTorch's default convolution init: sqrt(codebook_loss)
 * = 0.009 on 28 x 28 inputs with the standard quantizer's near-zero initial codes). A codebook
 * quantizer follows it (k-means initialisation, or codes initialised small); a scalar quantizer
 * whose grid has spacing ~1 (FSQ, LFQ) sees every input in one cell at the start unless it scales
 * its input (a learned or configured pre-scale), so check codes used at step 0.
 */
package org.vqlab.core.quantizer;
