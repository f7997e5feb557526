package org.vqlab.core.plugin;

import ai.djl.Device;
import java.io.PrintStream;
import org.vqlab.core.config.Section;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorContext;

/** Builds a prior over discrete codes (kind {@code prior}) from the {@code prior} config section. */
public interface PriorFactory extends PluginFactory {
  CodePrior create(Section section, PriorContext context);

  /**
   * {@code vq bench sample}: times this prior's samplers on {@code device} (the reference sampler
   * on {@code positions} positions against the prior's own fast sampler) and prints codes per
   * second to {@code out}. Returns false, printing nothing, when the plugin ships no sampler
   * benchmark (the default).
   */
  default boolean benchmarkSamplers(Device device, PrintStream out, int positions) {
    return false;
  }
}
