package org.vqlab.core.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.name.Names;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import com.google.inject.spi.InstanceBinding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.Section;

/**
 * Every registered plugin, by kind and name. Built from the Guice injector of all {@link VqPlugin}s
 * that {@link ServiceLoader} finds on VQLab's classpath and the {@link PluginPath}, so adding a jar
 * to the plugin path is all it takes.
 */
public final class PluginRegistry {
  private final Injector injector;
  private final Map<PluginKind, TreeMap<String, PluginFactory>> factories = new EnumMap<>(PluginKind.class);
  private final List<PluginInfo> infos;

  private PluginRegistry(Injector injector) {
    this.injector = injector;
    for (PluginKind kind : PluginKind.values()) {
      Map<String, PluginFactory> map = injector.getInstance(Key.get(
          new TypeLiteral<Map<String, PluginFactory>>() {}, Names.named(kind.label())));
      TreeMap<String, PluginFactory> sorted = new TreeMap<>(map);
      sorted.forEach((name, f) -> {
        if (!kind.factoryType().isInstance(f)) {
          throw new IllegalStateException(kind.label() + " '" + name + "' (" + f.getClass().getName()
              + ") does not implement " + kind.factoryType().getName());
        }
      });
      factories.put(kind, sorted);
    }
    List<PluginInfo> list = new ArrayList<>(injector.getInstance(Key.get(new TypeLiteral<Set<PluginInfo>>() {})));
    list.sort(Comparator.comparing(PluginInfo::kind).thenComparing(PluginInfo::name));
    this.infos = List.copyOf(list);
  }

  /** Loads every plugin on the class loader's path. */
  public static PluginRegistry load(ClassLoader loader) {
    List<com.google.inject.Module> modules = new ArrayList<>();
    modules.add(new AbstractModule() {
      @Override
      protected void configure() {
        for (PluginKind kind : PluginKind.values()) {
          VqPluginModule.mapBinder(binder(), kind);
        }
        Multibinder.newSetBinder(binder(), PluginInfo.class);
      }
    });
    // Record each module's bindings once (Guice replays them), so that two plugins registering the
    // same kind and name are reported with both jars instead of Guice's duplicate-key message.
    Map<String, PluginInfo> byName = new TreeMap<>();
    for (VqPlugin plugin : ServiceLoader.load(VqPlugin.class, loader)) {
      List<Element> elements;
      try {
        elements = Elements.getElements(Stage.DEVELOPMENT, plugin);
      } catch (RuntimeException e) {
        throw new ConfigError("plugin " + plugin.getClass().getName() + " ("
            + PluginInfo.location(plugin.getClass()) + ") could not be configured: " + e.getMessage(), e);
      }
      for (Element element : elements) {
        if (element instanceof InstanceBinding<?> b && b.getInstance() instanceof PluginInfo info) {
          PluginInfo earlier = byName.putIfAbsent(info.kind().label() + " '" + info.name() + "'", info);
          if (earlier != null) {
            throw new ConfigError(info.kind().label() + " '" + info.name() + "' is registered twice: by "
                + earlier.module().getName() + " in " + PluginInfo.location(earlier.module()) + " and by "
                + info.module().getName() + " in " + PluginInfo.location(info.module())
                + "; remove one of the jars from the plugin path (see `vq plugins`)");
          }
        }
      }
      modules.add(Elements.getModule(elements));
    }
    try {
      return new PluginRegistry(Guice.createInjector(Stage.DEVELOPMENT, modules));
    } catch (CreationException e) {
      throw new ConfigError("plugins could not be loaded: " + e.getMessage(), e);
    }
  }

  /** Loads every plugin of VQLab's classpath and of this JVM's {@link PluginPath}. */
  public static PluginRegistry load() {
    return load(PluginPath.current().classLoader());
  }

  public Injector injector() {
    return injector;
  }

  public List<PluginInfo> plugins() {
    return infos;
  }

  public TreeMap<String, PluginFactory> all(PluginKind kind) {
    return factories.get(kind);
  }

  /** The factory registered as {@code name}; an unknown name lists the known ones. */
  public <F extends PluginFactory> F factory(PluginKind kind, String name) {
    PluginFactory f = factories.get(kind).get(name);
    if (f == null) {
      throw new ConfigError("unknown " + kind.label() + " '" + name + "'; known " + kind.label()
          + "s: " + factories.get(kind).keySet());
    }
    @SuppressWarnings("unchecked")
    F typed = (F) kind.factoryType().cast(f);
    return typed;
  }

  /** The factory the section's {@code type} key names, e.g. {@code quantizer.type = ema}. */
  public <F extends PluginFactory> F factory(PluginKind kind, Section section) {
    String name = section.type();
    PluginFactory f = factories.get(kind).get(name);
    if (f == null) {
      throw new ConfigError("unknown " + kind.label() + " '" + name + "' (" + section.fullKey("type")
          + " from " + section.config().getValue("type").origin().description() + "); known "
          + kind.label() + "s: " + factories.get(kind).keySet());
    }
    return factory(kind, name);
  }
}
