package org.vqlab.experiments.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The unigram baseline and the perplexity of code frequencies, against hand-computed values. */
class PriorBaselinesTest {
  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void unigramWithAddOneSmoothing() {
    // Train counts (3, 1, 0): N = 4, K = 3, p = (4/7, 2/7, 1/7); test codes: one 0, one 1, two 2s.
    double expected = -(log2(4 / 7.0) + log2(2 / 7.0) + 2 * log2(1 / 7.0)) / 4;
    assertEquals(expected, TrainPriorStage.unigramBits(new long[] {3, 1, 0}, new long[] {1, 1, 2}), 1e-12);
    // Uniform train counts give log2 K whatever the test codes.
    assertEquals(3.0, TrainPriorStage.unigramBits(new long[] {5, 5, 5, 5, 5, 5, 5, 5},
        new long[] {9, 0, 0, 1, 0, 0, 0, 2}), 1e-12);
  }

  @Test
  void perplexityIsTheEffectiveNumberOfCodes() {
    assertEquals(4.0, EncodeStage.perplexity(new long[] {7, 7, 0, 7, 7}), 1e-12);
    assertEquals(1.0, EncodeStage.perplexity(new long[] {0, 12, 0}), 1e-12);
  }
}
