package org.vqlab.core.tracking;

import java.util.Optional;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginFactory;

/**
 * A tracking backend (kind {@code tracker}). Every registered tracker is asked with the
 * {@code tracking} section; it returns a tracker when its backend is switched on there.
 */
public interface TrackerFactory extends PluginFactory {
  Optional<Tracker> create(Section trackingSection, RunInfo run);
}
