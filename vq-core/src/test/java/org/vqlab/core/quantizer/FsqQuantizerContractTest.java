package org.vqlab.core.quantizer;

import org.vqlab.testkit.PluginConfigs;
import org.vqlab.testkit.QuantizerContract;

/**
 * {@code quantizer=fsq} with its shipped defaults (levels [8, 8, 8], the data scale) on inputs of
 * std 0.01, an encoder's output at initialisation.
 */
class FsqQuantizerContractTest extends QuantizerContract {
  @Override
  protected Quantizer create() {
    return new FsqQuantizerFactory().create(PluginConfigs.section("quantizer", "fsq", ""));
  }

  @Override
  protected double inputScale() {
    return 0.01;
  }

  /** The bound's derivative shapes the gradient (FiniteScalarQuantizerTest checks its value). */
  @Override
  protected boolean straightThroughIsIdentity() {
    return false;
  }
}
