package org.vqlab.priors;

import org.vqlab.core.prior.ClipPrior;
import org.vqlab.core.prior.PriorContext;
import org.vqlab.testkit.ClipPriorContract;
import org.vqlab.testkit.PluginConfigs;

/** {@code prior=video_pixelcnn} from its shipped option file, small, with a 2-frame context. */
class VideoPixelCnnContractTest extends ClipPriorContract {
  @Override
  protected ClipPrior create(PriorContext context) {
    return (ClipPrior) new VideoPixelCnnFactory().create(PluginConfigs.prior("video_pixelcnn",
        "channels = 8, layers = 2, conditioning_channels = 8, conditioning_layers = 1,"
            + " context = 2"), context);
  }
}
