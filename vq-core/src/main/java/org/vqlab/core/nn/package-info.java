/**
 * Numerics shared by every block. {@link org.vqlab.core.nn.ScalarOps} is the one place for
 * arithmetic with constants that stays correct under autograd: in DJL 0.35.1's PyTorch engine
 * {@code NDArray.mul/div/pow/maximum/minimum(Number)} wrap the number in a temporary tensor that
 * is freed right after the op although autograd saved it, so gradients through them are garbage
 * once that memory is reused. Inside anything that is differentiated, write
 * {@code ScalarOps.mul(x, beta)}, {@code ScalarOps.div(x, n)}, {@code ScalarOps.atLeast(x, eps)};
 * outside autograd (sampling, metrics) plain DJL is fine.
 */
package org.vqlab.core.nn;
