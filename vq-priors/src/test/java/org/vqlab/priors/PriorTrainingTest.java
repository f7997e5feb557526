package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;
import org.vqlab.core.train.AdamOptimizer;
import org.vqlab.core.train.TrainerConfig;

/** The gated PixelCNN learns code grids with structure, trained with the project's Adam. */
class PriorTrainingTest {
  private static final double LOG2_16 = 4.0;

  @Test
  void fitsFashionMnistPatchCodesFarBelowUniformAndUnigram() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      CodeGrids train = CodeGrids.fashionMnist(manager, 0, 3000);
      CodeGrids test = CodeGrids.fashionMnist(manager, 3000, 500);
      Engine.getInstance().setRandomSeed(1);
      GatedPixelCnn prior = PriorFixtures.prior(manager, "channels = 16, layers = 2",
          new PriorContext(16, 7, 7, 0, 0, 0, 0));
      double before = testBits(prior, manager, test);
      fit(prior, manager, train, 200, 5e-3);
      double after = testBits(prior, manager, test);
      double unigram = test.unigramBits(train, 16);
      System.out.printf("Fashion-MNIST 7x7 codes, K=16: test NLL %.3f bits/code before, %.3f after"
          + " training; unigram %.3f, uniform %.3f%n", before, after, unigram, LOG2_16);
      assertTrue(after < LOG2_16 - 2, "test NLL " + after + " bits/code, log2 K = 4");
      assertTrue(after < unigram - 0.4, "test NLL " + after + " vs unigram " + unigram);
    }
  }

  @Test
  void classConditioningHelpsWhenTheClassDeterminesTheCodes() {
    try (NDManager manager = NDManager.newBaseManager()) {
      CodeGrids train = CodeGrids.classPatterns(21, 2000, 16, 16, 4, 0.03);
      CodeGrids test = CodeGrids.classPatterns(21, 2400, 16, 16, 4, 0.03);
      // Same patterns (same seed), later items as the test set.
      CodeGrids held = slice(test, 2000, 400);
      double[] bits = new double[2];
      for (int conditional = 0; conditional < 2; conditional++) {
        Engine.getInstance().setRandomSeed(2);
        GatedPixelCnn prior = PriorFixtures.prior(manager, "channels = 16, layers = 1",
            new PriorContext(16, 4, 4, 0, 0, 0, conditional == 1 ? 16 : 0));
        fit(prior, manager, train, 200, 1e-2);
        bits[conditional] = testBits(prior, manager, held);
      }
      // The class carries log2(16) = 4 bits per grid of 16 codes: up to 0.25 bits/code.
      System.out.printf("class patterns 4x4, K=16, 16 classes: test NLL %.3f bits/code"
          + " unconditional, %.3f class-conditional%n", bits[0], bits[1]);
      assertTrue(bits[1] < bits[0] - 0.1, "conditional " + bits[1] + " vs unconditional " + bits[0]);
      assertTrue(bits[0] < LOG2_16 / 2, "unconditional " + bits[0]);
    }
  }

  private static CodeGrids slice(CodeGrids g, int from, int n) {
    int size = g.height() * g.width();
    long[] codes = new long[n * size];
    System.arraycopy(g.codes(), from * size, codes, 0, n * size);
    long[] labels = new long[n];
    System.arraycopy(g.labels(), from, labels, 0, n);
    return new CodeGrids(codes, labels, n, g.height(), g.width());
  }

  private static PriorCondition condition(GatedPixelCnn prior, CodeGrids g, NDManager m, int[] items) {
    return prior.classConditional() ? new PriorCondition(g.labels(m, items), null, null)
        : PriorCondition.NONE;
  }

  /** Adam at a constant rate on random batches of 64; a fixed seed picks the batches. */
  static void fit(GatedPixelCnn prior, NDManager manager, CodeGrids train, int steps, double lr) {
    List<Parameter> params = new ArrayList<>();
    prior.getParameters().forEach(p -> params.add(p.getValue()));
    TrainerConfig config = new TrainerConfig("cpu", steps, 0, 64, lr, List.of(0.9, 0.999), 0, 0,
        TrainerConfig.Schedule.CONSTANT, 0, 1.0, 1, 1, 0, 1, 1);
    Random random = new Random(9);
    ParameterStore ps = new ParameterStore(manager, false);
    try (AdamOptimizer adam = new AdamOptimizer(params, config, manager)) {
      for (int step = 1; step <= steps; step++) {
        try (NDManager scope = manager.newSubManager()) {
          int[] items = random.ints(64, 0, train.count()).toArray();
          NDArray codes = train.codes(scope, items);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = prior.natsPerCode(ps, codes, condition(prior, train, scope, items), true);
            gc.backward(loss);
          }
          adam.step(step, scope);
        }
      }
    }
  }

  /** Mean bits per code over the whole set. */
  static double testBits(GatedPixelCnn prior, NDManager manager, CodeGrids test) {
    ParameterStore ps = new ParameterStore(manager, false);
    double sum = 0;
    for (int from = 0; from < test.count(); from += 100) {
      int n = Math.min(100, test.count() - from);
      int[] items = java.util.stream.IntStream.range(from, from + n).toArray();
      try (NDManager scope = manager.newSubManager()) {
        NDArray codes = test.codes(scope, items);
        sum += prior.natsPerCode(ps, codes, condition(prior, test, scope, items), false).getFloat()
            / Math.log(2) * n;
      }
    }
    return sum / test.count();
  }
}
