package org.vqlab.experiments.listeners;

import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.vqlab.core.train.Trainer;
import org.vqlab.core.train.TrainingListener;

/** A progress bar on the console with the current loss and the last evaluation's loss. */
public final class ProgressListener implements TrainingListener {
  private final String task;
  private ProgressBar bar;
  private String evalText = "";

  public ProgressListener(String task) {
    this.task = task;
  }

  @Override
  public void onStart(Trainer<?> trainer, long firstStep) {
    bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(trainer.config().maxSteps())
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).showSpeed()
        .startsFrom(firstStep - 1, java.time.Duration.ZERO).build();
  }

  @Override
  public void onStepDone(Trainer<?> trainer, long step) {
    bar.stepTo(step);
  }

  @Override
  public void onStep(Trainer<?> trainer, long step, Map<String, Double> metrics) {
    Double loss = metrics.get("train/loss");
    bar.setExtraMessage(String.format(" loss %.4f%s", loss == null ? Double.NaN : loss, evalText));
  }

  @Override
  public void onEvaluation(Trainer<?> trainer, long step, Map<String, Double> metrics) {
    Double loss = metrics.get("eval/loss");
    evalText = loss == null ? "" : String.format(" eval %.4f", loss);
  }

  @Override
  public void onEnd(Trainer<?> trainer, Trainer.Result result) {
    if (bar != null) {
      bar.close();
    }
  }
}
