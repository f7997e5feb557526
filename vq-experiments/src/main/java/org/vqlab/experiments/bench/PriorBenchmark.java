package org.vqlab.experiments.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.vqlab.core.codes.CodeBatch;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.plugin.PriorFactory;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorContext;
import org.vqlab.core.train.AdamOptimizer;
import org.vqlab.core.train.TrainerConfig;
import org.vqlab.experiments.run.RunArtifacts;
import org.vqlab.experiments.stages.PriorTask;

/**
 * {@code vq bench prior}: milliseconds per prior training step (forward, backward, Adam) of the
 * configured prior with the configured {@code prior.trainer} batch, the same {@link PriorTask} that
 * {@code vq train-prior} runs, on random codes: a 7 x 7 grid (VQ-VAE on Fashion-MNIST), 16 x 16,
 * and a 14 x 14 bottom level conditioned on a 7 x 7 top (VQ-VAE-2 on Fashion-MNIST); K = 512 and
 * 10 classes. Wall and process CPU time; on a shared machine the CPU time is the fairer figure.
 */
public final class PriorBenchmark {
  private static final int K = 512;
  private static final int CLASSES = 10;
  private static final int WARMUP = 3;

  private PriorBenchmark() {}

  public static void run(Section root, PluginRegistry registry, Device device, PrintStream out, int steps) {
    Section section = RunArtifacts.priorSection(root);
    TrainerConfig trainer = RunArtifacts.priorTrainer(root);
    PriorFactory factory = registry.factory(PluginKind.PRIOR, section);
    out.printf("prior training step: prior.type=%s %s, batch %d (prior.trainer.batch_size), K=%d,"
        + " %d classes, %d timed steps after %d warm-up%n", section.type(),
        section.config().root().render(com.typesafe.config.ConfigRenderOptions.concise()),
        trainer.batchSize(), K, CLASSES, steps, WARMUP);
    for (int[] g : new int[][] {{7, 7, 0, 0}, {16, 16, 0, 0}, {14, 14, 7, 7}}) {
      time(factory, section, trainer, device, out, steps, g[0], g[1], g[2], g[3]);
    }
  }

  private static void time(PriorFactory factory, Section section, TrainerConfig trainer, Device device,
      PrintStream out, int steps, int h, int w, int uh, int uw) {
    boolean upper = uh > 0;
    int batch = trainer.batchSize();
    Engine.getInstance().setRandomSeed(0);
    try (NDManager manager = NDManager.newBaseManager(device)) {
      CodePrior prior = factory.create(section, new PriorContext(K, h, w, upper ? K : 0, uh, uw, CLASSES));
      prior.initialize(manager, DataType.FLOAT32, new Shape(1, h, w));
      List<Parameter> params = new ArrayList<>();
      prior.getParameters().forEach(p -> params.add(p.getValue()));
      long count = params.stream().mapToLong(p -> p.getArray().size()).sum();
      PriorTask task = new PriorTask(prior, upper ? 1 : 0);
      ParameterStore ps = new ParameterStore(manager, false);
      long wall = 0;
      long cpu = 0;
      try (AdamOptimizer adam = new AdamOptimizer(params, trainer, manager)) {
        for (int s = 1; s <= WARMUP + steps; s++) {
          if (s == WARMUP + 1) {
            wall = System.nanoTime();
            cpu = cpuNanos();
          }
          try (NDManager scope = manager.newSubManager()) {
            List<NDArray> levels = new ArrayList<>();
            if (upper) {
              levels.add(scope.randomInteger(0, K, new Shape(batch, uh, uw), DataType.INT64));
            }
            levels.add(scope.randomInteger(0, K, new Shape(batch, h, w), DataType.INT64));
            CodeBatch codes = new CodeBatch(levels,
                scope.randomInteger(0, CLASSES, new Shape(batch), DataType.INT64));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              gc.backward(task.forward(ps, codes, true).loss());
            }
            adam.step(s, scope).getFloat();
          }
        }
      }
      double wallMs = (System.nanoTime() - wall) / 1e6 / steps;
      double cpuMs = (cpuNanos() - cpu) / 1e6 / steps;
      out.printf("  grid %2dx%-2d%s: %,d parameters, %.1f ms wall, %.1f ms cpu per step (%.0f codes/s wall)%n",
          h, w, upper ? String.format(" given a %dx%d upper level", uh, uw) : "", count, wallMs, cpuMs,
          batch * (double) h * w / (wallMs / 1000));
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
