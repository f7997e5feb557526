package org.vqlab.experiments.stages;

/** The {@code sample} section (config/config.conf): what {@code vq sample} draws and how. */
public record SampleConfig(int n, double temperature, int label, Sampler sampler, long seed,
    int contextFrames, int futureFrames) {

  /** fast: the prior's own sampler; plain: the reference, one full forward pass per position. */
  public enum Sampler { FAST, PLAIN }

  public SampleConfig {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be > 0, got " + n);
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature);
    }
    if (label < -1) {
      throw new IllegalArgumentException("label must be a class index or -1 (classes by row), got " + label);
    }
    if (contextFrames < 0 || futureFrames < 0) {
      throw new IllegalArgumentException("context_frames and future_frames must be >= 0");
    }
  }
}
