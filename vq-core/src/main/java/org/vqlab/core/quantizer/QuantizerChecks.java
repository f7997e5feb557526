package org.vqlab.core.quantizer;

/** Value checks shared by the quantizer config records; messages name the config key. */
final class QuantizerChecks {
  private QuantizerChecks() {}

  static void positive(String key, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be > 0, got " + value);
    }
  }

  static void nonNegative(String key, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(key + " must be a finite number >= 0, got " + value);
    }
  }

  static void openUnit(String key, double value) {
    if (!(value > 0 && value < 1)) {
      throw new IllegalArgumentException(key + " must be in (0, 1), got " + value);
    }
  }

  static void notNull(String key, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(key + " must be set");
    }
  }
}
