package org.vqlab.core.metric;

import java.nio.file.Path;
import java.util.Optional;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.prior.CodePrior;

/** The parts of a run that metrics may use; a missing part is empty and the metric says so. */
public interface EvaluationContext {
  Path runDirectory();

  Optional<Autoencoder> model();

  Optional<CodePrior> prior(int level);
}
