package org.vqlab.experiments.listeners;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.AutoencoderOutput;
import org.vqlab.core.train.Trainer;
import org.vqlab.core.train.TrainingListener;
import org.vqlab.eval.figures.ImageGrid;
import org.vqlab.experiments.tracking.Tracking;

/**
 * At each evaluation, the same test images (inputs above, reconstructions below) as a PNG in
 * {@code figures/reconstructions/step-N.png}; {@code figures/reconstructions.png} is the latest.
 */
public final class ReconstructionGridListener implements TrainingListener {
  private final Autoencoder model;
  private final VqDataset test;
  private final Path figures;
  private final Tracking tracking;
  private final int count;

  public ReconstructionGridListener(Autoencoder model, VqDataset test, Path figures, Tracking tracking, int count) {
    this.model = model;
    this.test = test;
    this.figures = figures;
    this.tracking = tracking;
    this.count = (int) Math.min(count, test.size());
  }

  @Override
  public void onEvaluation(Trainer<?> trainer, long step, Map<String, Double> metrics) {
    long[] idx = new long[count];
    for (int i = 0; i < count; i++) {
      idx[i] = i;
    }
    try (NDManager scope = trainer.manager().newSubManager(); LabeledBatch batch = test.batch(scope, idx)) {
      AutoencoderOutput out = model.compute(trainer.parameterStore(), batch.images(), false);
      Path file = figures.resolve("reconstructions").resolve(String.format("step-%08d.png", step));
      ImageGrid.writePng(file, List.of(batch.images(), out.reconstruction()), test.normalization(), count);
      Path latest = figures.resolve("reconstructions.png");
      Files.copy(file, latest, StandardCopyOption.REPLACE_EXISTING);
      tracking.logArtifact(file, "figures/reconstructions");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the reconstruction grid", e);
    }
  }
}
