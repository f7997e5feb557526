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
import java.util.ArrayList;
import java.util.List;
import org.vqlab.core.codes.CodeBatch;
import org.vqlab.core.config.Section;
import org.vqlab.core.engine.NativeOps;
import org.vqlab.core.engine.ProcessCpu;
import org.vqlab.core.train.HostReads;
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

  private PriorBenchmark() {}

  /** The grids: name, h, w, upper h, upper w. */
  private static final List<Object[]> GRIDS = List.of(new Object[] {"7x7", 7, 7, 0, 0},
      new Object[] {"16x16", 16, 16, 0, 0}, new Object[] {"14x14", 14, 14, 7, 7});

  public static void run(Section root, PluginRegistry registry, Device device, PrintStream out, int warmup,
      int steps, List<String> cases, int nativeOpSteps) {
    List<String> known = GRIDS.stream().map(g -> (String) g[0]).toList();
    for (String name : cases) {
      if (!known.contains(name)) {
        throw new org.vqlab.core.config.ConfigError("unknown prior benchmark case '" + name + "'; known: " + known);
      }
    }
    Section section = RunArtifacts.priorSection(root);
    TrainerConfig trainer = RunArtifacts.priorTrainer(root);
    PriorFactory factory = registry.factory(PluginKind.PRIOR, section);
    out.printf("prior training step: prior.type=%s %s, batch %d (prior.trainer.batch_size), K=%d,"
        + " %d classes, %d timed steps after %d warm-up%n", section.type(),
        section.config().root().render(com.typesafe.config.ConfigRenderOptions.concise()),
        trainer.batchSize(), K, CLASSES, steps, warmup);
    for (Object[] g : GRIDS) {
      if (cases.isEmpty() || cases.contains((String) g[0])) {
        time(factory, section, trainer, device, out, warmup, steps, nativeOpSteps, (int) g[1], (int) g[2], (int) g[3],
            (int) g[4]);
      }
    }
  }

  private static void time(PriorFactory factory, Section section, TrainerConfig trainer, Device device,
      PrintStream out, int warmup, int steps, int nativeOpSteps, int h, int w, int uh, int uw) {
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
      long warmupStart = 0;
      double warmupMs = Double.NaN;
      long cpu = 0;
      double wallMs = 0;
      double cpuMs = 0;
      NativeOps.Counts counted = null;
      long reads = 0;
      try (AdamOptimizer adam = new AdamOptimizer(params, trainer, manager)) {
        for (int s = 1; s <= warmup + steps + nativeOpSteps; s++) {
          if (s == 2) {
            warmupStart = System.nanoTime();
          }
          if (s == warmup + 1) {
            warmupMs = warmup > 1 ? (System.nanoTime() - warmupStart) / 1e6 / (warmup - 1) : Double.NaN;
            wall = System.nanoTime();
            cpu = ProcessCpu.nanos();
          }
          if (s == warmup + steps + 1) {
            wallMs = (System.nanoTime() - wall) / 1e6 / steps;
            cpuMs = (ProcessCpu.nanos() - cpu) / 1e6 / steps;
            reads = HostReads.count();
            NativeOps.start();
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
            // As a training step that logs nothing: no read back, no gradient norm.
            adam.step(s, scope, null, false);
          }
        }
        if (nativeOpSteps > 0) {
          counted = NativeOps.stop();
          reads = HostReads.count() - reads;
        } else {
          wallMs = (System.nanoTime() - wall) / 1e6 / steps;
          cpuMs = (ProcessCpu.nanos() - cpu) / 1e6 / steps;
        }
      }
      out.printf(java.util.Locale.ROOT, "  grid %2dx%-2d%s: %,d parameters, %.1f ms wall, %.1f ms cpu per step"
          + " (%.0f codes/s wall); warm-up steps 2-%d: %.1f ms/step%n",
          h, w, upper ? String.format(" given a %dx%d upper level", uh, uw) : "", count, wallMs, cpuMs,
          batch * (double) h * w / (wallMs / 1000), warmup, warmupMs);
      if (counted != null) {
        TrainBenchmark.printNativeOps(out, counted, reads, nativeOpSteps);
      }
    }
  }
}
