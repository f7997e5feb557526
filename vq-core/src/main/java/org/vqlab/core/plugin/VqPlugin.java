package org.vqlab.core.plugin;

import com.google.inject.Module;

/**
 * A VQLab plugin: one Guice module, listed in
 * {@code META-INF/services/org.vqlab.core.plugin.VqPlugin} and found with {@link java.util.ServiceLoader}.
 * Extend {@link VqPluginModule} and register named factories in {@code configure()}; a plugin may also
 * ship config group options as classpath resources {@code config/<group>/<option>.conf}.
 */
public interface VqPlugin extends Module {}
