package org.vqlab.core.quantizer;

import org.vqlab.testkit.PluginConfigs;
import org.vqlab.testkit.QuantizerContract;

/**
 * {@code quantizer=residual} with its shipped defaults (EMA stages with k-means init and dead-code
 * restarts), 3 stages of 16 x 4 and quantizer dropout on, so the save/load check also covers the
 * dropout draw of the next step.
 */
class ResidualQuantizerContractTest extends QuantizerContract {
  @Override
  protected Quantizer create() {
    return new ResidualQuantizerFactory().create(PluginConfigs.section("quantizer", "residual",
        "num_codes = 16, code_dim = 4, stages = 3, dropout = 0.5, dropout_seed = 5,"
            + " stage.kmeans_iterations = 3"));
  }
}
