package org.vqlab.core.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One job of a sweep: its number, the overrides that make it, its directory, the arguments of the
 * {@code vq} invocation that runs it, and environment additions (e.g. the sweep's parent run ids).
 */
public record Job(int number, List<String> overrides, Path directory, List<String> arguments,
    Map<String, String> environment) {}
