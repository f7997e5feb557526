package org.vqlab.experiments.cli;

import java.util.Map;
import org.slf4j.LoggerFactory;
import org.vqlab.experiments.run.Launch;
import org.vqlab.experiments.run.RunArtifacts;
import org.vqlab.experiments.stages.EncodeStage;
import org.vqlab.experiments.stages.EvalStage;
import org.vqlab.experiments.stages.PrepareStage;
import org.vqlab.experiments.stages.SampleStage;
import org.vqlab.experiments.stages.TrainPriorStage;
import org.vqlab.experiments.stages.TrainStage;
import picocli.CommandLine.Command;

/** The stage commands of an experiment: train -> encode -> train-prior -> sample -> eval. */
public final class StageCommands {
  private StageCommands() {}

  /** {@code vq prepare}: locate or download the dataset and record its statistics. */
  @Command(name = "prepare", description = "Locate (or download) and check the dataset; log its statistics.")
  public static final class Prepare extends StageCommand {
    @Override
    protected void runStages(Launch launch) throws Exception {
      launch.stage("prepare", new PrepareStage());
    }
  }

  /** {@code vq train}: the autoencoder training stage. */
  @Command(name = "train", description = "Train the autoencoder; resume=<run dir> continues a run.")
  public static final class Train extends StageCommand {
    @Override
    protected void runStages(Launch launch) throws Exception {
      launch.stage(TrainStage.NAME, new TrainStage(resume));
    }
  }

  /** {@code vq encode}: codes of the train and test splits. */
  @Command(name = "encode", description = "Encode the train and test splits into the run's code store (run=<dir>).")
  public static final class Encode extends StageCommand {
    @Override
    protected void runStages(Launch launch) throws Exception {
      launch.stage(EncodeStage.NAME, new EncodeStage());
    }
  }

  /** {@code vq train-prior}: the priors over codes. */
  @Command(name = "train-prior", description = "Train the prior of each level on the stored codes, top first"
      + " (run=<dir>; resume=<dir> continues).")
  public static final class TrainPrior extends StageCommand {
    @Override
    protected void runStages(Launch launch) throws Exception {
      launch.stage(TrainPriorStage.NAME, new TrainPriorStage(resume));
    }
  }

  /** {@code vq sample}: ancestral sampling and decoding. */
  @Command(name = "sample", description = "Sample codes from the priors, top level first, and decode them"
      + " (run=<dir> n=64 temperature=1.0 label=-1 sampler=fast|plain seed=N); for video, continue n"
      + " test clips (context_frames=6 future_frames=10).")
  public static final class Sample extends StageCommand {
    @Override
    protected Map<String, String> shortKeys() {
      return SAMPLE_KEYS;
    }

    @Override
    protected void runStages(Launch launch) throws Exception {
      launch.stage(SampleStage.NAME, new SampleStage());
    }
  }

  /** The short forms of {@code vq sample}'s settings. */
  static final Map<String, String> SAMPLE_KEYS = Map.of("n", "sample.n", "temperature",
      "sample.temperature", "label", "sample.label", "sampler", "sample.sampler",
      "context_frames", "sample.context_frames", "future_frames", "sample.future_frames");

  /** {@code vq eval}: metrics and the report. */
  @Command(name = "eval", description = "Evaluate a run: bits/dim, reconstruction, codebook usage; write the report.")
  public static final class Eval extends StageCommand {
    @Override
    protected void runStages(Launch launch) throws Exception {
      launch.stage(EvalStage.NAME, new EvalStage());
    }
  }

  /** {@code vq pipeline}: every stage in order. */
  @Command(name = "pipeline", description = "Run train, encode, train-prior, sample and eval in order.")
  public static final class Pipeline extends StageCommand {
    @Override
    protected void runStages(Launch launch) throws Exception {
      launch.stage(TrainStage.NAME, new TrainStage(resume));
      if (hasCodes(launch)) {
        launch.stage(EncodeStage.NAME, new EncodeStage());
        launch.stage(TrainPriorStage.NAME, new TrainPriorStage(resume, false));
        launch.stage(SampleStage.NAME, new SampleStage());
      } else {
        LoggerFactory.getLogger(Pipeline.class).info("the model '{}' has a continuous latent:"
            + " no codes to encode and no code prior; sampling from its own latent prior",
            launch.section("model").type());
        launch.stage(SampleStage.NAME, new SampleStage());
      }
      launch.stage(EvalStage.NAME, new EvalStage());
    }

    /** Whether the trained model has discrete codes (the VAE baseline has none). */
    private static boolean hasCodes(Launch launch) throws java.io.IOException {
      try (RunArtifacts run = RunArtifacts.open(launch)) {
        return !run.levels().isEmpty();
      }
    }
  }
}
