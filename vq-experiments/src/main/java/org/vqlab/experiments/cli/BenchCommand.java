package org.vqlab.experiments.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.plugin.PluginPath;
import org.vqlab.core.data.DataBenchmark;
import org.vqlab.core.engine.EngineSetup;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.plugin.PriorFactory;
import org.vqlab.core.quantizer.QuantizerBenchmark;
import org.vqlab.core.train.TrainerConfig;
import org.vqlab.experiments.bench.PriorBenchmark;
import org.vqlab.experiments.bench.TrainBenchmark;
import org.vqlab.experiments.run.LaunchConfig;
import org.vqlab.experiments.run.RunArtifacts;
import org.vqlab.experiments.run.Validation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vq bench <what> [overrides]}: benchmarks that print numbers, on the device and with the
 * engine settings of the composed config ({@code trainer.device}, {@code engine.num_threads}).
 */
@Command(name = "bench", description = "Run a benchmark on the configured device: quantizer, data, train, sample (the configured prior's samplers), prior (training step).")
public final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "WHAT", description = "quantizer | data | train | sample | prior | deconv")
  String what;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "OVERRIDE")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--repeats", description = "Timed repetitions (quantizer, deconv), batches (data), steps (train, prior) or positions (sample).")
  Integer repeats;

  @Option(names = "--soak-steps", description = "train: steps of the memory soak at a small size (0 = skip).")
  int soakSteps = 10000;

  @Option(names = "--cases", split = ",", description = "train: vqvae, vqvae_small, vqvae2; prior: 7x7, 16x16, 14x14 (given 7x7). Default: all.")
  List<String> cases = List.of();

  @Option(names = "--warmup", description = "train, prior: untimed steps before the timed ones (default 20:"
      + " the JVM compiles the step's Java code over its first 15-20 steps; the benchmark prints what they took).")
  int warmup = 20;

  @Option(names = "--native-ops", description = "train, prior: also count libtorch operators and host reads per step over this many steps (libtorch's profiler).")
  int nativeOpSteps;

  @Override
  public Integer call() throws java.io.IOException {
    if (warmup < 1) {
      throw new ConfigError("--warmup must be at least 1 (the first step builds the model's state); got " + warmup);
    }
    if (!List.of("quantizer", "data", "train", "sample", "prior", "deconv").contains(what)) {
      throw new ConfigError("unknown benchmark '" + what + "'; known: [quantizer, data, train, sample, prior, deconv]");
    }
    ComposedConfig composed = new ConfigComposer(ConfigSearchPath.defaults(PluginPath.current().classLoader())).compose(overrides);
    PluginRegistry registry = PluginRegistry.load();
    LaunchConfig launch = Validation.validate(composed, registry);
    Engine engine = EngineSetup.start(launch.engine(), launch.seed());
    Device device = EngineSetup.device(engine, composed.root().child("trainer").bind(TrainerConfig.class).device());
    PrintStream out = System.out;
    out.printf("vq bench %s on %s (PyTorch %s, DJL %s, %d cores)%n", what, device, engine.getVersion(),
        Engine.getDjlVersion(), Runtime.getRuntime().availableProcessors());
    switch (what) {
      case "quantizer" -> QuantizerBenchmark.run(device, out, repeats == null ? 7 : repeats);
      case "deconv" -> org.vqlab.models.nn.TransposedConvBenchmark.run(device, out, repeats == null ? 20 : repeats);
      case "sample" -> {
        Section prior = RunArtifacts.priorSection(composed.root());
        PriorFactory factory = registry.factory(PluginKind.PRIOR, prior);
        if (!factory.benchmarkSamplers(device, out, repeats == null ? 4 : repeats)) {
          throw new ConfigError("prior.type = " + prior.type() + " ships no sampler benchmark");
        }
      }
      case "prior" -> PriorBenchmark.run(composed.root(), registry, device, out, warmup,
          repeats == null ? 10 : repeats, cases, nativeOpSteps);
      case "train" -> TrainBenchmark.run(overrides, registry, device, engine, out, warmup,
          repeats == null ? 20 : repeats, soakSteps, cases, nativeOpSteps);
      default -> DataBenchmark.run(device, out, repeats == null ? 500 : repeats);
    }
    out.flush();
    return 0;
  }
}
