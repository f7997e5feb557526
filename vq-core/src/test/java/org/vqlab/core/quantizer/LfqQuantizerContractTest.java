package org.vqlab.core.quantizer;

import org.vqlab.testkit.PluginConfigs;
import org.vqlab.testkit.QuantizerContract;

/** {@code quantizer=lfq} with its shipped defaults (d = 9, the entropy penalty on). */
class LfqQuantizerContractTest extends QuantizerContract {
  @Override
  protected Quantizer create() {
    return new LfqQuantizerFactory().create(PluginConfigs.section("quantizer", "lfq", ""));
  }
}
