package org.vqlab.core.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.name.Names;
import org.vqlab.core.data.DatasetFactory;
import org.vqlab.core.launch.LauncherFactory;
import org.vqlab.core.quantizer.QuantizerFactory;
import org.vqlab.core.tracking.TrackerFactory;

/**
 * Base class for plugins. Each {@code register} call adds one named implementation to the
 * {@code MapBinder} of its kind; built-in plugins use exactly these calls.
 */
public abstract class VqPluginModule extends AbstractModule implements VqPlugin {

  protected final void quantizer(String name, Class<? extends QuantizerFactory> factory) {
    register(PluginKind.QUANTIZER, name, factory);
  }

  protected final void model(String name, Class<? extends ModelFactory> factory) {
    register(PluginKind.MODEL, name, factory);
  }

  protected final void prior(String name, Class<? extends PriorFactory> factory) {
    register(PluginKind.PRIOR, name, factory);
  }

  protected final void dataset(String name, Class<? extends DatasetFactory> factory) {
    register(PluginKind.DATASET, name, factory);
  }

  protected final void metric(String name, Class<? extends MetricFactory> factory) {
    register(PluginKind.METRIC, name, factory);
  }

  protected final void tracker(String name, Class<? extends TrackerFactory> factory) {
    register(PluginKind.TRACKER, name, factory);
  }

  protected final void launcher(String name, Class<? extends LauncherFactory> factory) {
    register(PluginKind.LAUNCHER, name, factory);
  }

  private void register(PluginKind kind, String name, Class<? extends PluginFactory> factory) {
    if (!name.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException(getClass().getName() + " registers " + kind.label()
          + " '" + name + "': names are lower-case letters, digits and '_'");
    }
    mapBinder(binder(), kind).addBinding(name).to(factory);
    Multibinder.newSetBinder(binder(), PluginInfo.class)
        .addBinding().toInstance(new PluginInfo(kind, name, factory, getClass()));
  }

  static MapBinder<String, PluginFactory> mapBinder(com.google.inject.Binder binder, PluginKind kind) {
    return MapBinder.newMapBinder(binder, String.class, PluginFactory.class, Names.named(kind.label()));
  }
}
