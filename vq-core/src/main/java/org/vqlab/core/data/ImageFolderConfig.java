package org.vqlab.core.data;

import java.util.List;

/** Config of {@code image_folder}; see config/dataset/image_folder.conf. */
public record ImageFolderConfig(String root, String testRoot, double testFraction, int size,
    ColorMode color, List<Double> normalization, int subset, long shuffleSeed, boolean flip) {
  public ImageFolderConfig {
    DatasetConfigs.checkRequired("root", root);
    DatasetConfigs.checkFraction("test_fraction", testFraction);
    DatasetConfigs.checkPositive("size", size);
    DatasetConfigs.checkNormalization(normalization);
    DatasetConfigs.checkSubset(subset);
  }
}
