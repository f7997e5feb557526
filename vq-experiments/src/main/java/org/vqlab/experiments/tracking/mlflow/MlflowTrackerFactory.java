package org.vqlab.experiments.tracking.mlflow;

import java.util.Optional;
import org.vqlab.core.config.Section;
import org.vqlab.core.tracking.RunInfo;
import org.vqlab.core.tracking.Tracker;
import org.vqlab.core.tracking.TrackerFactory;

/** The {@code mlflow} tracker: on when {@code tracking.mlflow.uri} is non-empty. */
public final class MlflowTrackerFactory implements TrackerFactory {

  @Override
  public Class<? extends Record> configType() {
    return MlflowTrackingConfig.class;
  }

  /** Binds {@code tracking.mlflow}; the tracking section is shared with the other trackers. */
  @Override
  public MlflowTrackingConfig validate(Section trackingSection) {
    return trackingSection.child("mlflow").bind(MlflowTrackingConfig.class);
  }

  @Override
  public Optional<Tracker> create(Section trackingSection, RunInfo run) {
    MlflowTrackingConfig config = validate(trackingSection);
    if (!config.enabled()) {
      return Optional.empty();
    }
    return Optional.of(new MlflowTracker(config, MlflowCredentials.fromEnvironment(), run));
  }
}
