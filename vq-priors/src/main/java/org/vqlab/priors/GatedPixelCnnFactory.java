package org.vqlab.priors;

import ai.djl.Device;
import java.io.PrintStream;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PriorFactory;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorContext;

/** {@code prior.type = gated_pixelcnn}. */
public final class GatedPixelCnnFactory implements PriorFactory {

  @Override
  public Class<? extends Record> configType() {
    return GatedPixelCnnConfig.class;
  }

  @Override
  public CodePrior create(Section section, PriorContext context) {
    return new GatedPixelCnn(section.bind(GatedPixelCnnConfig.class), context);
  }

  /** {@link SamplingBenchmark}: 64 channels, 1 + 10 layers, two timed rows of the fast sampler. */
  @Override
  public boolean benchmarkSamplers(Device device, PrintStream out, int positions) {
    SamplingBenchmark.run(device, out, 64, 10, positions, 2);
    return true;
  }
}
