package org.vqlab.priors;

import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorContext;
import org.vqlab.testkit.CodePriorContract;
import org.vqlab.testkit.PluginConfigs;

/** {@code prior=gated_pixelcnn} from its shipped option file, narrowed to a small network. */
class GatedPixelCnnContractTest extends CodePriorContract {
  @Override
  protected CodePrior create(PriorContext context) {
    return new GatedPixelCnnFactory().create(PluginConfigs.prior("gated_pixelcnn",
        "channels = 8, layers = 2, conditioning_channels = 8, conditioning_layers = 1"), context);
  }
}
