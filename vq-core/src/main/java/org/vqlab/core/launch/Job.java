package org.vqlab.core.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One job of a sweep: its number, the overrides that make it, its directory, and the full command
 * (a JVM invocation of {@code vq}) with the environment additions that run it.
 */
public record Job(int number, List<String> overrides, Path directory, List<String> command,
    Map<String, String> environment) {}
