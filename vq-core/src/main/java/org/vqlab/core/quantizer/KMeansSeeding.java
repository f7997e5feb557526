package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * k-means++ seeding followed by Lloyd iterations, on the device of the points. Sampling a point
 * with probability proportional to its squared distance uses the Gumbel-max trick (argmax of
 * log d^2 + Gumbel noise), so no value ever goes to the host; randomness comes from the engine's
 * seeded generator.
 */
final class KMeansSeeding {
  private KMeansSeeding() {}

  /** K centres (K, D) for {@code points} (N, D), attached to {@code points}' manager. */
  static NDArray fit(NDArray points, int numCodes, int iterations, int chunkSize) {
    NDArray centres;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray p = points.stopGradient();
      centres = seed(p, numCodes);
      for (int i = 0; i < iterations; i++) {
        NDArray next = lloydStep(p, centres, numCodes, chunkSize);
        centres.close();
        centres = next;
      }
      NDScope.unregister(centres);
    }
    return centres;
  }

  private static NDArray seed(NDArray p, int numCodes) {
    long n = p.getShape().get(0);
    NDList chosen = new NDList();
    NDArray first = p.getManager().randomInteger(0, n, new Shape(1), DataType.INT64)
        .toDevice(p.getDevice(), false);
    NDArray centre = p.get(new NDIndex("{}", first));
    chosen.add(centre);
    NDArray minDist = p.sub(centre).square().sum(new int[] {1});
    for (int k = 1; k < numCodes; k++) {
      try (NDScope step = new NDScope()) {
        step.suppressNotUsedWarning();
        NDArray u = p.getManager().randomUniform(1e-20f, 1f, new Shape(n), DataType.FLOAT32,
            p.getDevice());
        NDArray gumbel = u.log().neg().log().neg();
        // Chosen points (distance 0) score log(1e-30) = -69, not -inf: if every point is taken
        // (N < K) the pick is uniform instead of always row 0.
        NDArray score = minDist.add(1e-30f).log().add(gumbel);
        NDArray pick = score.argMax().reshape(1);
        NDArray c = p.get(new NDIndex("{}", pick));
        // A single centre: the direct |p - c|^2 is fewer kernel launches than the GEMM form.
        NDArray d = p.sub(c).square().sum(new int[] {1});
        NDArray nextMin = minDist.minimum(d);
        NDScope.unregister(c, nextMin);
        chosen.add(c);
        minDist.close();
        minDist = nextMin;
      }
    }
    NDArray centres = NDArrays.concat(chosen, 0);
    chosen.close();
    minDist.close();
    return centres;
  }

  /** Assigns every point to its nearest centre and moves centres to their means; empty ones stay. */
  private static NDArray lloydStep(NDArray p, NDArray centres, int numCodes, int chunkSize) {
    try (NDScope step = new NDScope()) {
      step.suppressNotUsedWarning();
      NDArray idx = CodebookSearch.nearest(p, centres, chunkSize);
      NDArray counts = CodeHistogram.counts(idx, numCodes);
      NDArray sums = CodebookSearch.sums(p, idx, counts);
      NDArray denom = counts.toType(p.getDataType(), false).maximum(1f).expandDims(1);
      NDArray means = sums.div(denom);
      NDArray used = counts.gt(0).expandDims(1).broadcast(means.getShape());
      NDArray next = NDArrays.where(used, means, centres);
      NDScope.unregister(next);
      return next;
    }
  }
}
