package org.vqlab.eval.metrics;

/** {@code eval.video_prediction}. */
public record VideoPredictionConfig(int clips, int contextFrames, int futureFrames, double temperature) {
  public VideoPredictionConfig {
    if (clips < 1 || clips > 256) {
      throw new IllegalArgumentException("eval.video_prediction.clips must be in [1, 256] (they are"
          + " sampled as one batch), got " + clips);
    }
    if (contextFrames < 1 || futureFrames < 1) {
      throw new IllegalArgumentException("eval.video_prediction.context_frames and future_frames"
          + " must be >= 1, got " + contextFrames + " and " + futureFrames);
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("eval.video_prediction.temperature must be a finite number"
          + " > 0, got " + temperature);
    }
  }
}
