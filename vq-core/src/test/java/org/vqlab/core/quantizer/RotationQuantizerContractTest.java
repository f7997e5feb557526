package org.vqlab.core.quantizer;

import org.vqlab.testkit.PluginConfigs;
import org.vqlab.testkit.QuantizerContract;

/** {@code quantizer=standard gradient=rotation}, 16 codes of dimension 4, k-means init. */
class RotationQuantizerContractTest extends QuantizerContract {
  @Override
  protected Quantizer create() {
    return new StandardQuantizerFactory().create(PluginConfigs.section("quantizer", "standard",
        "num_codes = 16, code_dim = 4, init = kmeans, kmeans_iterations = 3, gradient = rotation"));
  }

  /** The rotation trick rotates and rescales the gradient (CodebookOptionsTest: its value). */
  @Override
  protected boolean straightThroughIsIdentity() {
    return false;
  }
}
