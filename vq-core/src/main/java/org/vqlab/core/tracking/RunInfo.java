package org.vqlab.core.tracking;

import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import org.vqlab.core.config.ComposedConfig;

/**
 * A launch of the {@code vq} command: its run directory, the composed config, the flattened params,
 * tags (versions, commit, device, ...) and, for a multirun job, the sweep's parent run id per
 * tracker (from the environment the launcher sets).
 */
public record RunInfo(Path directory, String experiment, String runName, ComposedConfig config,
    SortedMap<String, String> params, Map<String, String> tags, Map<String, String> parentIds) {}
