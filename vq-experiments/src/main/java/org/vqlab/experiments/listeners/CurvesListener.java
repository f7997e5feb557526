package org.vqlab.experiments.listeners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.vqlab.core.train.Trainer;
import org.vqlab.core.train.TrainingListener;
import org.vqlab.eval.figures.TrainingCurves;
import org.vqlab.experiments.run.RunDirectory;
import org.vqlab.experiments.tracking.Tracking;

/**
 * At the end of training, PNG plots of the curves from metrics.jsonl: losses (train and eval) and
 * codebook usage (perplexity and codes used per level).
 */
public final class CurvesListener implements TrainingListener {
  private final Path runDir;
  private final String stage;
  private final String prefix;
  private final Tracking tracking;
  private final String figureName;

  public CurvesListener(Path runDir, String stage, String prefix, Tracking tracking) {
    this(runDir, stage, prefix, tracking, stage);
  }

  /** {@code figureName} names the PNGs when one stage trains several blocks (e.g. "prior_top"). */
  public CurvesListener(Path runDir, String stage, String prefix, Tracking tracking, String figureName) {
    this.runDir = runDir;
    this.stage = stage;
    this.prefix = prefix;
    this.tracking = tracking;
    this.figureName = figureName;
  }

  @Override
  public void onEnd(Trainer<?> trainer, Trainer.Result result) {
    Path metrics = runDir.resolve(RunDirectory.METRICS);
    Path figures = runDir.resolve("figures");
    try {
      // One panel per quantity group: losses, codebook terms, usage, learning rate and gradient norm.
      Map<String, TrainingCurves.Series> curves = TrainingCurves.read(metrics, stage,
          n -> n.startsWith(prefix) && TrainingCurves.PLOTTED.test(n));
      Path lossFile = figures.resolve(figureName + "_losses.png");
      TrainingCurves.writePanels(lossFile, figureName, curves);
      tracking.logArtifact(lossFile, "figures");
      Map<String, TrainingCurves.Series> usage = TrainingCurves.read(metrics, stage,
          n -> n.startsWith(prefix) && TrainingCurves.CODEBOOK_USAGE.test(n));
      if (!usage.isEmpty()) {
        Path usageFile = figures.resolve(figureName + "_codebook_usage.png");
        TrainingCurves.writePng(usageFile, figureName + ": codebook usage", usage, false);
        tracking.logArtifact(usageFile, "figures");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot plot the training curves", e);
    }
  }
}
