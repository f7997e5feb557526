package org.vqlab.core.data;

import java.util.List;

/** Config of {@code video_folder}; see config/dataset/video_folder.conf. */
public record VideoFolderConfig(String root, String testRoot, double testFraction, int frames,
    int stride, int size, ColorMode color, List<Double> normalization, int subset,
    long shuffleSeed, boolean flip) {
  public VideoFolderConfig {
    DatasetConfigs.checkRequired("root", root);
    DatasetConfigs.checkFraction("test_fraction", testFraction);
    DatasetConfigs.checkPositive("frames", frames);
    DatasetConfigs.checkPositive("stride", stride);
    DatasetConfigs.checkPositive("size", size);
    DatasetConfigs.checkNormalization(normalization);
    DatasetConfigs.checkSubset(subset);
  }
}
