package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;

/**
 * Causality of the gated PixelCNN, checked position by position on a 6 x 6 grid with K = 5: the
 * logits at p never change when codes at or after p (raster order) change, they do change when any
 * earlier code inside the receptive field changes (including (r - 1, c + j) to the upper right,
 * the classic blind spot), and they do not change for earlier codes outside it.
 */
class CausalityTest {
  private static final int K = 5;
  private static final int H = 6;
  private static final int W = 6;
  private static final int N = H * W;

  @ParameterizedTest(name = "layers={0} kernel={1} classes={2} upper={3}")
  @CsvSource({
      // the mask-A layer alone, then the full network; unconditional, class, upper codes, both
      "0, 3, 0, false", "0, 3, 3, true",
      "2, 3, 0, false", "2, 3, 3, false", "2, 3, 0, true", "2, 3, 3, true",
      "1, 5, 0, false", "1, 5, 4, true"})
  void logitsDependExactlyOnEarlierCodesInTheReceptiveField(int layers, int kernel, int classes,
      boolean upperLevel) {
    Engine.getInstance().setRandomSeed(7);
    try (NDManager manager = NDManager.newBaseManager()) {
      PriorContext context = new PriorContext(K, H, W, upperLevel ? 7 : 0, upperLevel ? 3 : 0,
          upperLevel ? 3 : 0, classes);
      GatedPixelCnn prior = PriorFixtures.prior(manager,
          "channels = 16, conditioning_channels = 8, layers = " + layers + ", kernel_size = " + kernel,
          context);
      int reach = prior.reach();
      assertEquals((layers + 1) * (kernel / 2), reach);

      // Variant 0: the base grid. 1 + q: the code at q changed. 1 + N + q: every code >= q redrawn.
      NDArray base = PriorFixtures.randomCodes(manager, 11, K, 1, H, W);
      long[] codes = base.toLongArray();
      Random random = new Random(12);
      int variants = 1 + 2 * N;
      long[] all = new long[variants * N];
      for (int v = 0; v < variants; v++) {
        System.arraycopy(codes, 0, all, v * N, N);
      }
      for (int q = 0; q < N; q++) {
        all[(1 + q) * N + q] = (codes[q] + 1 + random.nextInt(K - 1)) % K;
        for (int p = q; p < N; p++) {
          all[(1 + N + q) * N + p] = (codes[p] + 1 + random.nextInt(K - 1)) % K;
        }
      }
      NDArray batch = manager.create(all, new Shape(variants, H, W));
      NDArray labels = classes > 0 ? manager.create(new long[variants]).add(2) : null;
      NDArray upper = upperLevel
          ? PriorFixtures.randomCodes(manager, 13, 7, 1, 3, 3).repeat(0, variants) : null;
      ParameterStore ps = new ParameterStore(manager, false);
      float[] logits = prior.logits(ps, batch, new PriorCondition(labels, upper, null), false)
          .toFloatArray();

      int dependencies = 0;
      int blindSpotChecks = 0;
      double smallestDependency = Double.POSITIVE_INFINITY;
      for (int p = 0; p < N; p++) {
        int r = p / W;
        int c = p % W;
        for (int q = 0; q < N; q++) {
          double single = maxDifference(logits, 0, 1 + q, p);
          boolean inField = q < p && ReceptiveField.contains(r, c, q / W, q % W, reach);
          if (inField) {
            assertTrue(single > 0, "logits at " + at(p) + " ignore the earlier code at " + at(q));
            smallestDependency = Math.min(smallestDependency, single);
            dependencies++;
            if (q / W == r - 1 && q % W > c) {
              blindSpotChecks++;
            }
          } else {
            assertEquals(0.0, single, "logits at " + at(p) + " depend on the code at " + at(q)
                + (q >= p ? " (at or after it)" : " (outside the receptive field)"));
          }
          if (q >= p) {
            assertEquals(0.0, maxDifference(logits, 0, 1 + N + q, p),
                "logits at " + at(p) + " change when every code from " + at(q) + " on changes");
          }
        }
      }
      assertEquals(ReceptiveField.dependencies(H, W, reach), dependencies);
      assertTrue(blindSpotChecks >= 5 * Math.min(reach, W - 1),
          "upper-right neighbours checked: " + blindSpotChecks);
      System.out.printf("causality layers=%d kernel=%d: %d dependencies, %d upper-right, smallest"
          + " |dlogit| %.2e%n", layers, kernel, dependencies, blindSpotChecks, smallestDependency);
    }
  }

  /** max over k of |logits[a, k, p] - logits[b, k, p]| for the flat (variants, K, H, W) array. */
  private static double maxDifference(float[] logits, int a, int b, int p) {
    double max = 0;
    for (int k = 0; k < K; k++) {
      max = Math.max(max, Math.abs(logits[(a * K + k) * N + p] - logits[(b * K + k) * N + p]));
    }
    return max;
  }

  private static String at(int p) {
    return "(" + p / W + ", " + p % W + ")";
  }
}
