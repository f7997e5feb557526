package org.vqlab.core.quantizer;

import org.vqlab.testkit.PluginConfigs;
import org.vqlab.testkit.QuantizerContract;

/** {@code quantizer=standard affine=true sync_nu=0.2}, 16 codes of dimension 4. */
class SyncAffineQuantizerContractTest extends QuantizerContract {
  @Override
  protected Quantizer create() {
    return new StandardQuantizerFactory().create(PluginConfigs.section("quantizer", "standard",
        "num_codes = 16, code_dim = 4, init = normal, affine = true, sync_nu = 0.2"));
  }
}
