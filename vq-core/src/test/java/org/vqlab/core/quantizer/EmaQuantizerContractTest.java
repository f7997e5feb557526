package org.vqlab.core.quantizer;

import org.vqlab.testkit.PluginConfigs;
import org.vqlab.testkit.QuantizerContract;

/** {@code quantizer=ema} with its shipped defaults (k-means init, dead-code restarts), 16 x 4. */
class EmaQuantizerContractTest extends QuantizerContract {
  @Override
  protected Quantizer create() {
    return new EmaQuantizerFactory().create(PluginConfigs.section("quantizer", "ema",
        "num_codes = 16, code_dim = 4, kmeans_iterations = 3"));
  }
}
