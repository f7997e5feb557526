package org.vqlab.experiments.tracking;

import java.util.Optional;
import org.vqlab.core.config.Section;
import org.vqlab.core.tracking.RunInfo;
import org.vqlab.core.tracking.Tracker;
import org.vqlab.core.tracking.TrackerFactory;

/** Always on: every launch has its run directory. Takes no keys of its own. */
public final class LocalTrackerFactory implements TrackerFactory {
  /** No settings. */
  public record Settings() {}

  @Override
  public Class<? extends Record> configType() {
    return Settings.class;
  }

  @Override
  public Record validate(Section trackingSection) {
    return new Settings();
  }

  @Override
  public Optional<Tracker> create(Section trackingSection, RunInfo run) {
    return Optional.of(new LocalTracker(run.directory()));
  }
}
