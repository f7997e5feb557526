package org.vqlab.experiments.cli;

import org.vqlab.experiments.run.Launch;
import org.vqlab.experiments.stages.PrepareStage;
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

  /** A stage command whose stage does not exist yet: it says so and exits 3. */
  abstract static class NotBuilt extends StageCommand {
    private final String reason;

    NotBuilt(String reason) {
      this.reason = reason;
    }

    @Override
    protected final String notBuiltReason() {
      return reason;
    }

    @Override
    protected final void runStages(Launch launch) {
      throw new IllegalStateException(reason);
    }
  }

  /** {@code vq encode}: codes of the train and test splits. */
  @Command(name = "encode", description = "Encode the dataset into the run's code store.")
  public static final class Encode extends NotBuilt {
    public Encode() {
      super("the encode stage is not built yet (issue 6)");
    }
  }

  /** {@code vq train-prior}: the priors over codes. */
  @Command(name = "train-prior", description = "Train the prior(s) over the stored codes.")
  public static final class TrainPrior extends NotBuilt {
    public TrainPrior() {
      super("the prior training stage is not built yet (issue 6)");
    }
  }

  /** {@code vq sample}: ancestral sampling and decoding. */
  @Command(name = "sample", description = "Sample codes from the prior(s) and decode them.")
  public static final class Sample extends NotBuilt {
    public Sample() {
      super("the sampling stage is not built yet (issue 6)");
    }
  }

  /** {@code vq eval}: metrics and the report. */
  @Command(name = "eval", description = "Evaluate a run: bits/dim, reconstruction, codebook usage; write the report.")
  public static final class Eval extends NotBuilt {
    public Eval() {
      super("the evaluation stage is not built yet (issue 7)");
    }
  }

  /** {@code vq pipeline}: every stage in order. */
  @Command(name = "pipeline", description = "Run train, encode, train-prior, sample and eval in order.")
  public static final class Pipeline extends StageCommand {
    @Override
    protected void runStages(Launch launch) throws Exception {
      launch.stage(TrainStage.NAME, new TrainStage(resume));
      org.slf4j.LoggerFactory.getLogger(Pipeline.class).warn(
          "pipeline: ran train; encode, train-prior and sample (issue 6) and eval (issue 7) are not built yet");
    }
  }
}
