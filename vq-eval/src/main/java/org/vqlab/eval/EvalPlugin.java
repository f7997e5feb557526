package org.vqlab.eval;

import org.vqlab.core.plugin.VqPluginModule;
import org.vqlab.eval.metrics.BitsPerDimFactory;
import org.vqlab.eval.metrics.CodebookUsageFactory;
import org.vqlab.eval.metrics.ReconstructionFactory;
import org.vqlab.eval.metrics.VideoPredictionFactory;

/** The built-in metrics, registered like any third-party plugin. */
public final class EvalPlugin extends VqPluginModule {
  @Override
  protected void configure() {
    metric("bits_per_dim", BitsPerDimFactory.class);
    metric("reconstruction", ReconstructionFactory.class);
    metric("codebook_usage", CodebookUsageFactory.class);
    metric("video_prediction", VideoPredictionFactory.class);
  }
}
