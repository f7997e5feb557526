package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vqlab.core.prior.AncestralSampling;

/** Inverse-CDF picks and the boundary guard's margin on closed-form distributions. */
class AncestralSamplingTest {

  @Test
  void picksTheSmallestCodeWhoseCdfExceedsTheUniform() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // p = (0.1, 0.2, 0.3, 0.4): CDF 0.1, 0.3, 0.6, 1.0; the same row for five uniforms.
      float[] p = {0.1f, 0.2f, 0.3f, 0.4f};
      NDArray logits = manager.create(p).log().reshape(1, 4).repeat(0, 5);
      NDArray u = manager.create(new float[] {0.05f, 0.12f, 0.29f, 0.61f, 0.9999f});
      assertArrayEquals(new long[] {0, 1, 1, 3, 3}, AncestralSampling.pick(logits, u, 1.0).toLongArray());
      // T = 2 gives p ~ sqrt(p): 0.1627, 0.2301, 0.2818, 0.3254 -> CDF 0.1627, 0.3928, 0.6746, 1.
      assertArrayEquals(new long[] {0, 0, 1, 2, 3}, AncestralSampling.pick(logits, u, 2.0).toLongArray());
    }
  }

  /**
   * p = (0.1, 0.2, 0.3, 0.4), tolerance 1e-3: D = 1e-3 |ln 0.1| = 2.3026e-3, the factor
   * exp(2D) - 1 = 4.6158e-3, so the margins are 4.154e-4 at CDF 0.1 (x 0.09), 9.693e-4 at 0.3
   * (x 0.21) and 1.1078e-3 at 0.6 (x 0.24).
   */
  @Test
  void flagsExactlyTheUniformsWithinTheMarginOfABoundary() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] p = {0.1f, 0.2f, 0.3f, 0.4f};
      float[] u = {0.3f - 9.5e-4f, 0.3f - 9.9e-4f, 0.6f + 1.09e-3f, 0.6f + 1.13e-3f, 0.1f - 4.0e-4f,
          0.1f + 4.3e-4f, 0.45f};
      NDArray logits = manager.create(p).log().reshape(1, 4).repeat(0, u.length);
      AncestralSampling.GuardedPick pick =
          AncestralSampling.pickWithin(logits, manager.create(u), 1.0, 1e-3);
      assertArrayEquals(new long[] {1, 1, 3, 3, 0, 1, 2}, pick.codes().toLongArray());
      assertArrayEquals(new boolean[] {true, false, true, false, true, false, false},
          pick.nearBoundary().toBooleanArray());
      assertNull(AncestralSampling.pickWithin(logits, manager.create(u), 1.0, -1).nearBoundary());
    }
  }

  /**
   * Soundness of the margin: logits moved by up to D in the worst direction for one boundary (+D
   * below it, -D above) move that boundary past a uniform put half-way; every such uniform must be
   * flagged, and one 5% beyond the margin on the other side must not be.
   */
  @ParameterizedTest
  @ValueSource(doubles = {1.0, 0.7})
  void everyUniformThatATolerableChangeOfLogitsCouldMoveIsFlagged(double temperature) {
    int items = 64;
    int k = 8;
    double tolerance = 1e-3;
    Random random = new Random(11);
    float[] logits = new float[items * k];
    float[] moved = new float[items * k];
    float[] between = new float[items];
    float[] outside = new float[items];
    boolean[] usable = new boolean[items];
    for (int b = 0; b < items; b++) {
      double max = 0;
      for (int j = 0; j < k; j++) {
        logits[b * k + j] = (float) (1.5 * random.nextGaussian());
        max = Math.max(max, Math.abs(logits[b * k + j]));
      }
      int boundary = b % (k - 1);
      double d = 0.999 * tolerance * max;
      for (int j = 0; j < k; j++) {
        moved[b * k + j] = (float) (logits[b * k + j] + (j <= boundary ? d : -d));
      }
      double[] c = cdf(logits, b, k, temperature);
      double[] cm = cdf(moved, b, k, temperature);
      between[b] = (float) ((c[boundary] + cm[boundary]) / 2);
      double margin = Math.expm1(2 * tolerance * max / temperature) * c[boundary] * (1 - c[boundary]);
      outside[b] = (float) (c[boundary] - 1.05 * margin);
      // The outside uniform must not sit near the next boundary down either.
      usable[b] = boundary == 0 || c[boundary] - c[boundary - 1] > 3 * margin;
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray l = manager.create(logits, new Shape(items, k));
      NDArray lm = manager.create(moved, new Shape(items, k));
      NDArray u = manager.create(between);
      long[] before = AncestralSampling.pick(l, u, temperature).toLongArray();
      long[] after = AncestralSampling.pick(lm, u, temperature).toLongArray();
      boolean[] flagged = AncestralSampling.pickWithin(l, u, temperature, tolerance).nearBoundary()
          .toBooleanArray();
      boolean[] flaggedOutside = AncestralSampling.pickWithin(l, manager.create(outside), temperature,
          tolerance).nearBoundary().toBooleanArray();
      int checked = 0;
      for (int b = 0; b < items; b++) {
        assertNotEquals(before[b], after[b], "the construction moves the code of item " + b);
        assertTrue(flagged[b], "item " + b + " can change code but is not flagged");
        if (usable[b]) {
          assertFalse(flaggedOutside[b], "item " + b + " flagged outside the margin");
          checked++;
        }
      }
      assertTrue(checked > items / 2, "outside checks: " + checked);
    }
  }

  /** The CDF of softmax(logits of one item / T) in double precision. */
  private static double[] cdf(float[] logits, int item, int k, double temperature) {
    double[] c = new double[k];
    double total = 0;
    for (int j = 0; j < k; j++) {
      total += Math.exp(logits[item * k + j] / temperature);
      c[j] = total;
    }
    for (int j = 0; j < k; j++) {
      c[j] /= total;
    }
    return c;
  }
}
