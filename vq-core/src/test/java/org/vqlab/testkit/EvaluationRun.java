package org.vqlab.testkit;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.metric.EvaluationContext;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.prior.CodePrior;

/**
 * An {@link EvaluationContext} assembled by hand, for metric tests: the parts of a run a metric
 * reads, each possibly empty with its reason in {@code missing}; {@code priors} by level, top
 * first.
 */
public record EvaluationRun(Path runDirectory, NDManager manager, ParameterStore parameters,
    Optional<Autoencoder> model, Optional<VqDataset> testSet, List<Optional<CodePrior>> priors,
    Optional<Path> trainingMetrics, int batchSize, long maxItems, long seed,
    Map<String, String> missing) implements EvaluationContext {

  public EvaluationRun {
    priors = List.copyOf(priors);
    missing = Map.copyOf(missing);
  }

  /** A run with nothing in it: no model, test split, priors or tracked metrics, each named. */
  public static EvaluationRun empty(Path runDirectory, NDManager manager) {
    return new EvaluationRun(runDirectory, manager, new ParameterStore(manager, false),
        Optional.empty(), Optional.empty(), List.of(), Optional.empty(), 8, 0, 0,
        Map.of("model", "no trained model: run `vq train`", "test_set", "no test split",
            "prior/bottom", "no trained prior: run `vq train-prior`"));
  }

  @Override
  public Optional<CodePrior> prior(int level) {
    return level < priors.size() ? priors.get(level) : Optional.empty();
  }
}
