package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * The rotation trick (Fifty et al. 2024, "Restructuring vector quantization with the rotation
 * trick"). Per row, with e = z / |z|, u = q / |q|, r = (e + u) / |e + u| and lambda = |q| / |z|,
 *
 * <pre>
 *   out = lambda (z - 2 r (r . z) + 2 u (e . z))  =  lambda R z,   R = I - 2 r r^T + 2 u e^T
 * </pre>
 *
 * where e, u, r and lambda are detached. R maps e onto u, so out = q in the forward pass, and the
 * encoder receives lambda R^T g instead of g. R is never formed: two dot products per row.
 */
public final class RotationTrick {
  private static final float EPS = 1e-12f;

  private RotationTrick() {}

  /** {@code z} (N, D) carries the encoder's gradient; {@code q} (N, D) are its codes. */
  public static NDArray apply(NDArray z, NDArray q) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray zd = z.stopGradient();
      NDArray qd = q.stopGradient();
      NDArray zNorm = zd.norm(new int[] {1}, true).maximum(EPS);
      NDArray qNorm = qd.norm(new int[] {1}, true).maximum(EPS);
      NDArray e = zd.div(zNorm);
      NDArray u = qd.div(qNorm);
      NDArray sum = e.add(u);
      NDArray r = sum.div(sum.norm(new int[] {1}, true).maximum(EPS));
      NDArray lambda = qNorm.div(zNorm);
      // Only z stays in the graph; r, u, e and lambda are constants of the backward pass.
      NDArray rz = z.mul(r).sum(new int[] {1}, true);
      NDArray ez = z.mul(e).sum(new int[] {1}, true);
      // Constants multiply as arrays: a mul(Number) operand is freed before the backward pass.
      NDArray r2 = r.mul(2f);
      NDArray u2 = u.mul(2f);
      NDArray rotated = z.sub(r2.mul(rz)).add(u2.mul(ez));
      NDArray out = rotated.mul(lambda);
      NDScope.unregister(out);
      return out;
    }
  }
}
