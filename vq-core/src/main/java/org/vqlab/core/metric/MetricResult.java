package org.vqlab.core.metric;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a metric produced: named values (in insertion order, e.g. {@code bits_per_dim/total}),
 * figures it wrote under the run directory (each as the path it was written to: absolute, or
 * relative to the working directory like the run directory itself), and what it could not compute with the reason (e.g.
 * {@code "bits_per_dim/total": "no prior for level top: run vq train-prior"}).
 */
public record MetricResult(Map<String, MetricValue> values, List<Path> figures,
    Map<String, String> missing) {
  public MetricResult {
    values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    figures = List.copyOf(figures);
    missing = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(missing));
  }
}
