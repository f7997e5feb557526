package org.vqlab.core.plugin;

import org.vqlab.core.config.Section;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorContext;

/** Builds a prior over discrete codes (kind {@code prior}) from the {@code prior} config section. */
public interface PriorFactory extends PluginFactory {
  CodePrior create(Section section, PriorContext context);
}
