package org.vqlab.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamOptimizerTest {

  static TrainerConfig config(double lr, double weightDecay, double clip, int warmup, TrainerConfig.Schedule schedule) {
    return new TrainerConfig("cpu", 100, 0, 1, lr, List.of(0.9, 0.999), weightDecay, warmup, schedule,
        0.0, clip, 1, 10, 0, 10, 1);
  }

  /** Adam on loss = sum((w - t)^2), against the update rule written out in doubles. */
  private static void checkAgainstClosedForm(double weightDecay, double clip) {
    double[] w = {1.0, -2.0};
    double[] t = {0.5, 0.25};
    double lr = 0.1;
    double b1 = 0.9;
    double b2 = 0.999;
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optShape(new Shape(2)).build();
      p.setInitializer((manager, shape, type) -> manager.create(new float[] {1f, -2f}));
      p.initialize(m, DataType.FLOAT32);
      AdamOptimizer adam = new AdamOptimizer(List.of(p), config(lr, weightDecay, clip, 0, TrainerConfig.Schedule.CONSTANT), m);
      NDArray target = m.create(new float[] {0.5f, 0.25f});
      double[] mean = new double[2];
      double[] var = new double[2];
      for (int step = 1; step <= 4; step++) {
        try (NDManager scope = m.newSubManager()) {
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = p.getArray().sub(target).square().sum();
            gc.backward(loss);
          }
          adam.step(step, scope);
        }
        double[] g = new double[2];
        double norm = 0;
        for (int i = 0; i < 2; i++) {
          g[i] = 2 * (w[i] - t[i]);
          norm += g[i] * g[i];
        }
        norm = Math.sqrt(norm);
        double scale = clip > 0 ? Math.min(1, clip / (norm + 1e-6)) : 1;
        for (int i = 0; i < 2; i++) {
          double gi = g[i] * scale;
          mean[i] = b1 * mean[i] + (1 - b1) * gi;
          var[i] = b2 * var[i] + (1 - b2) * gi * gi;
          double mh = mean[i] / (1 - Math.pow(b1, step));
          double vh = var[i] / (1 - Math.pow(b2, step));
          w[i] -= lr * mh / (Math.sqrt(vh) + 1e-8) + lr * weightDecay * w[i];
        }
        float[] got = p.getArray().toFloatArray();
        assertEquals(w[0], got[0], 1e-5, "step " + step);
        assertEquals(w[1], got[1], 1e-5, "step " + step);
      }
    }
  }

  @Test
  void adamMatchesClosedForm() {
    checkAgainstClosedForm(0, 0);
  }

  @Test
  void decoupledWeightDecayAndClippingMatchClosedForm() {
    checkAgainstClosedForm(0.01, 0.5);
  }

  @Test
  void warmupAndCosineSchedule() {
    TrainerConfig c = config(1.0, 0, 0, 10, TrainerConfig.Schedule.COSINE);
    assertEquals(0.1, AdamOptimizer.learningRate(c, 1), 1e-12);
    assertEquals(1.0, AdamOptimizer.learningRate(c, 10), 1e-12);
    // Halfway through the 90 decay steps: cos(pi/2) = 0, so half the rate.
    assertEquals(0.5, AdamOptimizer.learningRate(c, 55), 1e-12);
    assertEquals(0.0, AdamOptimizer.learningRate(c, 100), 1e-12);
    assertEquals(1.0, AdamOptimizer.learningRate(config(1.0, 0, 0, 0, TrainerConfig.Schedule.CONSTANT), 77), 0);
  }

  @Test
  void parametersWithoutGradientAreNotOptimised() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter trained = Parameter.builder().setName("a").setType(Parameter.Type.WEIGHT).optShape(new Shape(1)).build();
      Parameter ema = Parameter.builder().setName("ema").setType(Parameter.Type.OTHER)
          .optRequiresGrad(false).optShape(new Shape(1)).build();
      trained.setInitializer(Initializer.ONES);
      ema.setInitializer(Initializer.ONES);
      trained.initialize(m, DataType.FLOAT32);
      ema.initialize(m, DataType.FLOAT32);
      AdamOptimizer adam = new AdamOptimizer(List.of(trained, ema), config(0.1, 0, 0, 0, TrainerConfig.Schedule.CONSTANT), m);
      assertEquals(List.of(trained), adam.parameters());
    }
  }
}
