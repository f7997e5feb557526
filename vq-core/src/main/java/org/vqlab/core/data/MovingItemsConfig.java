package org.vqlab.core.data;

import java.util.List;

/**
 * Config of {@code moving_fashion_mnist} and {@code moving_mnist} (same keys): where the source
 * images are, and how clips are generated.
 */
public record MovingItemsConfig(String root, String mirror, String downloadDir, int frames,
    int frameSize, int numItems, int trainClips, int testClips, double minSpeed, double maxSpeed,
    long seed, List<Double> normalization, int subset, long shuffleSeed) {
  public MovingItemsConfig {
    DatasetConfigs.checkMirror(mirror);
    DatasetConfigs.checkPositive("frames", frames);
    if (frameSize < 28) {
      throw new IllegalArgumentException("frame_size must be >= 28 (the item size), got " + frameSize);
    }
    DatasetConfigs.checkPositive("num_items", numItems);
    DatasetConfigs.checkPositive("train_clips", trainClips);
    DatasetConfigs.checkPositive("test_clips", testClips);
    if (!(minSpeed >= 0 && maxSpeed >= minSpeed)) {
      throw new IllegalArgumentException("speeds must satisfy 0 <= min_speed <= max_speed, got "
          + minSpeed + " and " + maxSpeed);
    }
    DatasetConfigs.checkNormalization(normalization);
    DatasetConfigs.checkSubset(subset);
  }
}
