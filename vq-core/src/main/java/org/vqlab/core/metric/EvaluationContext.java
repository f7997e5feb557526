package org.vqlab.core.metric;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.prior.CodePrior;

/**
 * The parts of a trained run that metrics may use. A part the run lacks is empty, and
 * {@link #missing()} says why, so a metric reports what it can and names what it could not.
 * Metrics see models and priors only through these vq-core interfaces.
 */
public interface EvaluationContext {

  /** The run directory (reports and figures go here). */
  Path runDirectory();

  /** A manager on the evaluation device; metrics open sub-managers per batch and close them. */
  NDManager manager();

  /** The parameter store to call the model and the priors with (no gradients). */
  ParameterStore parameters();

  /** The trained autoencoder, if the run has one. */
  Optional<Autoencoder> model();

  /** The split metrics are computed on (the test split). */
  Optional<VqDataset> testSet();

  /**
   * The trained prior of level {@code level} (0 = top, as in {@link Autoencoder#encodeCodes}),
   * conditioned on the class label (when it was trained with one) and on the levels above.
   */
  Optional<CodePrior> prior(int level);

  /** The run's tracked metrics ({@code metrics.jsonl}), for usage over training. */
  Optional<Path> trainingMetrics();

  /** Evaluation batch size. */
  int batchSize();

  /** At most this many test items (0 = all of them). */
  long maxItems();

  /** The seed of any sampling a metric does (importance samples, ...). */
  long seed();

  /**
   * What the run lacks, by part ({@code "model"}, {@code "prior/top"}, {@code "test_set"}, ...),
   * each with the reason and the command that would produce it.
   */
  Map<String, String> missing();
}
