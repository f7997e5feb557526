package org.vqlab.eval;

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
 * The parts of one run handed to the metrics; {@code priors} has one entry per code level, top
 * first, empty where the run has no trained prior for that level.
 */
public record RunEvaluation(Path runDirectory, NDManager manager, ParameterStore parameters,
    Optional<Autoencoder> model, Optional<VqDataset> testSet, List<Optional<CodePrior>> priors,
    Optional<Path> trainingMetrics, int batchSize, long maxItems, long seed,
    Map<String, String> missing) implements EvaluationContext {

  public RunEvaluation {
    priors = List.copyOf(priors);
    missing = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(missing));
  }

  @Override
  public Optional<CodePrior> prior(int level) {
    return level >= 0 && level < priors.size() ? priors.get(level) : Optional.empty();
  }
}
