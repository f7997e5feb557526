package org.vqlab.core.quantizer;

import org.vqlab.testkit.PluginConfigs;
import org.vqlab.testkit.QuantizerContract;

/**
 * {@code quantizer=ema affine=true} with restarts, 16 codes of dimension 4: the running statistics
 * are saved, loaded and left alone by evaluation like the codebook.
 */
class AffineQuantizerContractTest extends QuantizerContract {
  @Override
  protected Quantizer create() {
    return new EmaQuantizerFactory().create(PluginConfigs.section("quantizer", "ema",
        "num_codes = 16, code_dim = 4, kmeans_iterations = 3, affine = true"));
  }
}
