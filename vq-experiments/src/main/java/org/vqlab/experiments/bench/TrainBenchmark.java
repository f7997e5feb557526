package org.vqlab.experiments.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.plugin.PluginPath;
import org.vqlab.core.data.BatchSampler;
import org.vqlab.core.engine.NativeOps;
import org.vqlab.core.engine.ProcessCpu;
import org.vqlab.core.train.HostReads;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.train.Checkpoints;
import org.vqlab.core.train.Trainer;
import org.vqlab.core.train.TrainerConfig;
import org.vqlab.core.train.TrainingListener;
import org.vqlab.experiments.stages.AutoencoderTask;
import org.vqlab.experiments.stages.TrainStage;

/**
 * {@code vq bench train}: the real training stack (dataset, model plugin, quantizer plugin, the
 * {@link Trainer} with its Adam) on real Fashion-MNIST batches. Prints milliseconds per step and
 * images per second for VQ-VAE at the paper's sizes and for VQ-VAE-2, then the resident memory of
 * the process at step 1000 and at the end of a long run at a small size.
 */
public final class TrainBenchmark {
  private TrainBenchmark() {}

  /** One measured configuration: a label and the overrides that make it. */
  record Case(String name, String label, List<String> overrides) {}

  static final List<Case> SPEED = List.of(
      new Case("vqvae", "vqvae 128 ch, K=512, D=64, batch 128", List.of("model=vqvae", "model.channels=128",
          "quantizer.num_codes=512", "quantizer.code_dim=64", "trainer.batch_size=128")),
      new Case("vqvae_small", "vqvae 64 ch, K=512, D=64, batch 64", List.of("model=vqvae", "model.channels=64",
          "quantizer.num_codes=512", "quantizer.code_dim=64", "trainer.batch_size=64")),
      new Case("vqvae2", "vqvae2 128 ch, 2 levels (14x14, 7x7), K=512, D=64, batch 128", List.of("model=vqvae2",
          "model.channels=128", "model.downsample=2", "quantizer.num_codes=512",
          "quantizer.code_dim=64", "trainer.batch_size=128")));

  static final List<String> SOAK = List.of("model=vqvae", "model.channels=16", "model.residual_channels=8",
      "quantizer.num_codes=64", "quantizer.code_dim=16", "trainer.batch_size=32");

  public static void run(List<String> baseOverrides, PluginRegistry registry, Device device,
      Engine engine, PrintStream out, int warmup, int steps, int soakSteps, List<String> cases,
      int nativeOpSteps) throws IOException {
    ConfigComposer composer = new ConfigComposer(ConfigSearchPath.defaults(
        PluginPath.current().classLoader()));
    List<String> known = SPEED.stream().map(Case::name).toList();
    for (String name : cases) {
      if (!known.contains(name)) {
        throw new org.vqlab.core.config.ConfigError("unknown train benchmark case '" + name + "'; known: " + known);
      }
    }
    for (Case c : SPEED) {
      if (!cases.isEmpty() && !cases.contains(c.name())) {
        continue;
      }
      List<String> args = new ArrayList<>(baseOverrides);
      args.addAll(c.overrides());
      // Timed steps, then the profiled ones, then one more: the last step logs and evaluates.
      int total = warmup + steps + nativeOpSteps + 1;
      args.add("trainer.max_steps=" + total);
      long[] times = new long[total + 1];
      long[] cpu = new long[total + 1];
      long[] parameters = new long[1];
      NativeOps.Counts[] counted = new NativeOps.Counts[1];
      long[] reads = new long[1];
      train(composer.compose(args), registry, device, engine, new TrainingListener() {
        @Override
        public void onStart(Trainer<?> trainer, long firstStep) {
          parameters[0] = trainer.optimizer().parameters().stream().mapToLong(p -> p.getArray().size()).sum();
        }

        @Override
        public void onStepDone(Trainer<?> trainer, long step) {
          times[(int) step] = System.nanoTime();
          cpu[(int) step] = ProcessCpu.nanos();
          if (nativeOpSteps > 0 && step == warmup + steps) {
            reads[0] = HostReads.count();
            NativeOps.start();
          } else if (nativeOpSteps > 0 && step == warmup + steps + nativeOpSteps) {
            counted[0] = NativeOps.stop();
            reads[0] = HostReads.count() - reads[0];
          }
        }
      });
      double ms = (times[warmup + steps] - times[warmup]) / 1e6 / steps;
      double cpuMs = (cpu[warmup + steps] - cpu[warmup]) / 1e6 / steps;
      int batch = composer.compose(args).root().child("trainer").bind(TrainerConfig.class).batchSize();
      // times[1] is the end of step 1, which builds the model's state (k-means, the optimiser's).
      double warmupMs = warmup > 1 ? (times[warmup] - times[1]) / 1e6 / (warmup - 1) : Double.NaN;
      out.printf(Locale.ROOT, "%-62s %8.1f ms/step %8.1f ms cpu/step %8.1f images/s (%d steps after %d warm-up), "
          + "%,d trainable parameters; warm-up steps 2-%d: %.1f ms/step%n", c.label(), ms, cpuMs,
          batch * 1000.0 / ms, steps, warmup, parameters[0], warmup, warmupMs);
      if (counted[0] != null) {
        printNativeOps(out, counted[0], reads[0], nativeOpSteps);
      }
      List<String> devices = composer.compose(args).root().child("trainer").bind(TrainerConfig.class).devices();
      if (!devices.isEmpty()) {
        out.println("  " + deviceMemory(org.vqlab.core.engine.DeviceSpec.resolveAll(devices, engine)));
      }
    }
    if (soakSteps > 0) {
      List<String> args = new ArrayList<>(baseOverrides);
      args.addAll(SOAK);
      args.add("trainer.max_steps=" + soakSteps);
      int probe = Math.min(1000, soakSteps);
      // Resident memory every `probe` steps, after a full GC, with the JVM heap's share beside it,
      // so that growth of native memory can be told from the Java heap settling.
      List<long[]> samples = new ArrayList<>();
      long t0 = System.nanoTime();
      train(composer.compose(args), registry, device, engine, new TrainingListener() {
        @Override
        public void onStepDone(Trainer<?> trainer, long step) {
          if (step % probe == 0) {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            samples.add(new long[] {step, residentKb(), (rt.totalMemory() - rt.freeMemory()) / 1024,
                rt.totalMemory() / 1024});
          }
        }
      });
      double seconds = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT, "memory soak: vqvae 16 ch, K=64, batch 32, %d steps in %.0f s%n", soakSteps, seconds);
      out.printf(Locale.ROOT, "%8s %14s %14s %14s %18s%n", "step", "resident MiB", "heap used MiB",
          "heap commit MiB", "resident - heap MiB");
      for (long[] s : samples) {
        out.printf(Locale.ROOT, "%8d %14.1f %14.1f %14.1f %18.1f%n", s[0], s[1] / 1024.0, s[2] / 1024.0,
            s[3] / 1024.0, (s[1] - s[3]) / 1024.0);
      }
      long[] first = samples.get(0);
      long[] last = samples.get(samples.size() - 1);
      out.printf(Locale.ROOT, "resident growth from step %d to %d: %+.2f%%; outside the Java heap: %+.2f%%%n",
          first[0], last[0], 100.0 * (last[1] - first[1]) / first[1],
          100.0 * ((last[1] - last[3]) - (first[1] - first[3])) / (first[1] - first[3]));
    }
  }

  /** Native operators and host reads per step, from a profile over {@code steps} plain steps. */
  static void printNativeOps(PrintStream out, NativeOps.Counts c, long hostReads, int steps) {
    out.printf(Locale.ROOT, "  native ops per step (libtorch profiler, %d steps without logging): %.1f top-level,"
        + " %.1f with nested; host reads per step: %.2f (HostReads gate), %.2f (operators that sync on a GPU: item, nonzero, unique, ...)%n",
        steps, c.topLevelTotal() / (double) steps, c.total() / (double) steps, hostReads / (double) steps,
        c.hostReads() / (double) steps);
    String top = c.topLevel().entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(12)
        .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / (double) steps))
        .collect(java.util.stream.Collectors.joining(", "));
    out.println("    most frequent: " + top);
  }

  private static void train(ComposedConfig composed, PluginRegistry registry, Device device,
      Engine engine, TrainingListener listener) throws IOException {
    // Evaluation and checkpoints happen once, after the last step: they are not what is timed.
    TrainerConfig tc = composed.root().child("trainer").bind(TrainerConfig.class);
    TrainerConfig timed = new TrainerConfig(tc.device(), tc.maxSteps(), 0, tc.batchSize(), tc.learningRate(),
        tc.betas(), tc.weightDecay(), tc.warmupSteps(), tc.schedule(), tc.minLearningRate(),
        tc.gradClip(), tc.maxSteps(), tc.maxSteps(), 1, tc.maxSteps(), 1, tc.devices());
    TrainStage.Built built = TrainStage.build(composed.root(), registry, device);
    Path checkpoints = Files.createTempDirectory("vq-bench");
    try (NDManager manager = built.manager()) {
      BatchSampler sampler = BatchSampler.of(built.train(), tc.batchSize(), true);
      new Trainer<>(timed, new AutoencoderTask(built.model(), manager), built.train(),
          s -> sampler.batchAtStep(s - 1), built.test(), manager, engine, 0,
          new Checkpoints(checkpoints, 1), Map.of(), List.of(listener)).fit();
    } finally {
      try (var files = Files.walk(checkpoints)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Memory per device of a data-parallel case (trainer.devices): what CUDA reports in use on each
   * GPU, and this process's resident memory for the CPU (shared by CPU replicas).
   */
  static String deviceMemory(List<Device> devices) {
    StringBuilder s = new StringBuilder("devices " + devices + ", memory:");
    for (Device d : new java.util.LinkedHashSet<>(devices)) {
      if (d.isGpu()) {
        java.lang.management.MemoryUsage m = ai.djl.util.cuda.CudaUtils.getGpuMemory(d);
        s.append(String.format(Locale.ROOT, " %s %.0f MiB used of %.0f MiB;", d, m.getUsed() / 1048576.0,
            m.getMax() / 1048576.0));
      } else {
        s.append(String.format(Locale.ROOT, " %s (process resident) %.0f MiB;", d, residentKb() / 1024.0));
      }
    }
    return s.toString();
  }

  /** VmRSS of this process in KiB (Linux), 0 elsewhere. */
  static long residentKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }
}
