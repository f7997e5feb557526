package org.vqlab.core.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One job of a sweep: its number, the overrides that make it, its directory, the arguments of the
 * {@code vq} invocation that runs it, and environment additions.
 *
 * <p>The environment is part of the job: a launcher must run {@code vq} with every entry of
 * {@link #environment()} set (on top of, or instead of, its own environment). It holds
 * {@code VQLAB_PLUGIN_PATH} (every plugin jar of the launch, absolute paths separated by {@code :})
 * and {@code VQLAB_CONFIG_PATH} (the launch's user config directories, absolute; "" when none), so
 * that the job loads the same plugins and composes from the same configs as the launch that
 * expanded the sweep, plus the sweep's tracking hand-over (parent run ids, the job's run name).
 */
public record Job(int number, List<String> overrides, Path directory, List<String> arguments,
    Map<String, String> environment) {}
