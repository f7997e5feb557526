package org.vqlab.core.data;

import java.util.List;

/** Config of {@code cifar10}; see config/dataset/cifar10.conf. */
public record Cifar10Config(String root, String mirror, String downloadDir,
    List<Double> normalization, int subset, long shuffleSeed, boolean flip) {
  public Cifar10Config {
    DatasetConfigs.checkMirror(mirror);
    DatasetConfigs.checkNormalization(normalization);
    DatasetConfigs.checkSubset(subset);
  }
}
