package org.example.gumbel;

/** The {@code quantizer} section of {@code type = gumbel}; see config/quantizer/gumbel.conf. */
public record GumbelQuantizerConfig(int numCodes, int codeDim, double temperature, double annealRate,
    double minTemperature, double klWeight, boolean hard) {
  public GumbelQuantizerConfig {
    if (numCodes < 2) {
      throw new IllegalArgumentException("num_codes must be >= 2, got " + numCodes);
    }
    if (codeDim < 1) {
      throw new IllegalArgumentException("code_dim must be >= 1, got " + codeDim);
    }
    if (!(minTemperature > 0) || temperature < minTemperature) {
      throw new IllegalArgumentException("need 0 < min_temperature <= temperature, got "
          + minTemperature + " and " + temperature);
    }
    if (annealRate < 0 || klWeight < 0) {
      throw new IllegalArgumentException("anneal_rate and kl_weight must be >= 0, got "
          + annealRate + " and " + klWeight);
    }
  }

  /** The softmax temperature after {@code step} training steps. */
  public double temperatureAt(long step) {
    return Math.max(minTemperature, temperature * Math.exp(-annealRate * step));
  }
}
