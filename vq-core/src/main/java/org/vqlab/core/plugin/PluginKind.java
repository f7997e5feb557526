package org.vqlab.core.plugin;

import java.util.Locale;
import org.vqlab.core.data.DatasetFactory;
import org.vqlab.core.launch.LauncherFactory;
import org.vqlab.core.quantizer.QuantizerFactory;
import org.vqlab.core.tracking.TrackerFactory;

/**
 * The kinds of plugin VQLab knows. Each kind is one {@code MapBinder<String, factory type>}; the
 * config group named {@link #group()} selects an implementation by its {@code type} key.
 */
public enum PluginKind {
  QUANTIZER("quantizer", QuantizerFactory.class),
  MODEL("model", ModelFactory.class),
  PRIOR("prior", PriorFactory.class),
  DATASET("dataset", DatasetFactory.class),
  METRIC("metric", MetricFactory.class),
  TRACKER("tracking", TrackerFactory.class),
  LAUNCHER("launcher", LauncherFactory.class);

  private final String group;
  private final Class<? extends PluginFactory> factoryType;

  PluginKind(String group, Class<? extends PluginFactory> factoryType) {
    this.group = group;
    this.factoryType = factoryType;
  }

  /** The name users see, e.g. {@code quantizer}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The config group whose {@code type} key names the implementation. */
  public String group() {
    return group;
  }

  public Class<? extends PluginFactory> factoryType() {
    return factoryType;
  }
}
