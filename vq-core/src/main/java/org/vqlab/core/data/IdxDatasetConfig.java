package org.vqlab.core.data;

import java.util.List;

/** Config of {@code fashion_mnist} and {@code mnist} (same keys); see config/dataset/*.conf. */
public record IdxDatasetConfig(String root, String mirror, String downloadDir,
    List<Double> normalization, int subset, long shuffleSeed) {
  public IdxDatasetConfig {
    DatasetConfigs.checkMirror(mirror);
    DatasetConfigs.checkNormalization(normalization);
    DatasetConfigs.checkSubset(subset);
  }
}
