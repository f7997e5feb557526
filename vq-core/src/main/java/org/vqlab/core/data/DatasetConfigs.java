package org.vqlab.core.data;

import java.util.List;

/** Checks shared by the dataset config records; messages name the key. */
final class DatasetConfigs {
  private DatasetConfigs() {}

  static void checkNormalization(List<Double> range) {
    if (range == null || range.size() != 2) {
      throw new IllegalArgumentException("normalization must be [low, high], got " + range);
    }
    if (!(range.get(1) > range.get(0))) {
      throw new IllegalArgumentException("normalization must have high > low, got " + range);
    }
  }

  static PixelNormalization normalization(List<Double> range) {
    return new PixelNormalization(range.get(0), range.get(1));
  }

  static void checkSubset(int subset) {
    if (subset < 0) {
      throw new IllegalArgumentException("subset must be >= 0 (0 = all items), got " + subset);
    }
  }

  static void checkMirror(String mirror) {
    if (mirror == null || !(mirror.startsWith("http://") || mirror.startsWith("https://"))) {
      throw new IllegalArgumentException("mirror must be an http:// or https:// base URL, got "
          + mirror);
    }
  }

  static void checkPositive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be > 0, got " + value);
    }
  }

  static void checkFraction(String key, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(key + " must be in [0, 1), got " + value);
    }
  }

  static void checkRequired(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " is required: the directory to read");
    }
  }
}
