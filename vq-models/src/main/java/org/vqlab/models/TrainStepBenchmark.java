package org.vqlab.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.vqlab.core.config.Section;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.AutoencoderOutput;
import org.vqlab.core.model.ModelContext;
import org.vqlab.core.quantizer.Quantizers;

/**
 * Times one training step of {@code vqvae} (forward, backward, Adam update) on 28 x 28 x 1 inputs
 * with K = 512 codes of D = 64: 128 channels at batch 128 and 64 channels at batch 64. Prints
 * ms/step and images/s; not a test, because timings depend on the machine and its load.
 */
public final class TrainStepBenchmark {
  private TrainStepBenchmark() {}

  /**
   * @param quantizerSection a complete quantizer section of any registered type; its num_codes and
   *     code_dim are set to 512 and 64
   */
  public static void run(Device device, PrintStream out, Quantizers quantizers,
      Section quantizerSection, int warmupSteps, int timedSteps) {
    out.printf(Locale.ROOT, "engine %s %s, device %s, threads intra-op %s, quantizer %s%n",
        Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), device,
        System.getProperty("ai.djl.pytorch.num_threads", "default"), quantizerSection.type());
    Section q = new Section(quantizerSection.path(), quantizerSection.config()
        .withValue("num_codes", ConfigValueFactory.fromAnyRef(512))
        .withValue("code_dim", ConfigValueFactory.fromAnyRef(64)));
    for (int[] setting : new int[][] {{128, 128}, {64, 64}}) {
      int channels = setting[0];
      int batch = setting[1];
      double ms = time(device, quantizers, q, channels, batch, warmupSteps, timedSteps);
      out.printf(Locale.ROOT, "vqvae channels=%d batch=%d K=512 D=64 28x28: %.1f ms/step,"
          + " %.1f images/s (%d timed steps after %d warm-up)%n", channels, batch, ms,
          batch * 1000.0 / ms, timedSteps, warmupSteps);
    }
  }

  private static double time(Device device, Quantizers quantizers, Section q, int channels,
      int batch, int warmup, int steps) {
    Shape image = new Shape(1, 28, 28);
    Section model = new Section("model", ConfigFactory.parseString("channels = " + channels
        + ", residual_channels = 32, residual_blocks = 2, downsample = 4, likelihood = mse,"
        + " data_variance = 1.0, gaussian_scale = 0.1, learn_scale = false"));
    try (NDManager manager = NDManager.newBaseManager(device)) {
      Autoencoder vqvae = new VqVaeFactory().create(model,
          new ModelContext(image, q, quantizers, PixelNormalization.CENTERED));
      vqvae.initialize(manager, DataType.FLOAT32, new Shape(batch, 1, 28, 28));
      ParameterStore ps = new ParameterStore(manager, false);
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(2e-4f)).build();
      List<Parameter> trainable = TrainableParameters.of(vqvae);
      NDArray x = manager.randomUniform(-0.5f, 0.5f, new Shape(batch, 1, 28, 28));
      long start = 0;
      for (int step = 0; step < warmup + steps; step++) {
        if (step == warmup) {
          start = System.nanoTime();
        }
        try (NDManager scope = manager.newSubManager()) {
          NDArray images = x.duplicate();
          images.attach(scope);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            AutoencoderOutput out = vqvae.compute(ps, images, true);
            gc.backward(out.loss());
          }
          for (Parameter p : trainable) {
            NDArray w = p.getArray();
            try (NDArray g = w.getGradient()) {
              adam.update(p.getId(), w, g);
              g.subi(g);
            }
          }
          // Reading one value waits for the step to finish on an asynchronous device.
          trainable.get(0).getArray().get(0).toFloatArray();
        }
      }
      return (System.nanoTime() - start) / 1e6 / steps;
    }
  }
}
