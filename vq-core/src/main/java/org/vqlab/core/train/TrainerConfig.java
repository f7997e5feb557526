package org.vqlab.core.train;

import java.util.List;

/** The {@code trainer} section (and {@code prior.trainer}); see config/trainer/default.conf. */
public record TrainerConfig(String device, int maxSteps, int maxEpochs, int batchSize, double learningRate,
    List<Double> betas, double weightDecay, int warmupSteps, Schedule schedule,
    double minLearningRate, double gradClip, int logEvery, int evalEvery, int evalBatches,
    int checkpointEvery, int keepLast, List<String> devices) {

  public enum Schedule { CONSTANT, COSINE }

  public TrainerConfig {
    positive("max_steps", maxSteps);
    if (maxEpochs < 0) {
      throw new IllegalArgumentException("max_epochs must be >= 0 (0: train for max_steps), got " + maxEpochs);
    }
    positive("batch_size", batchSize);
    positive("log_every", logEvery);
    positive("eval_every", evalEvery);
    positive("checkpoint_every", checkpointEvery);
    positive("keep_last", keepLast);
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning_rate must be > 0, got " + learningRate);
    }
    if (betas.size() != 2 || betas.stream().anyMatch(b -> !(b >= 0 && b < 1))) {
      throw new IllegalArgumentException("betas must be two numbers in [0, 1), got " + betas);
    }
    if (weightDecay < 0 || warmupSteps < 0 || minLearningRate < 0 || gradClip < 0 || evalBatches < 0) {
      throw new IllegalArgumentException(
          "weight_decay, warmup_steps, min_learning_rate, grad_clip and eval_batches must be >= 0");
    }
    betas = List.copyOf(betas);
    for (String d : devices) {
      if (!d.matches("auto|cpu|gpu|gpu:\\d+|gpu:all")) {
        throw new IllegalArgumentException("devices must list auto, cpu, gpu, gpu:N or gpu:all, got '" + d
            + "' in " + devices);
      }
    }
    devices = List.copyOf(devices);
  }

  /** One device: {@code trainer.device} only ({@code devices} empty). */
  public TrainerConfig(String device, int maxSteps, int maxEpochs, int batchSize, double learningRate,
      List<Double> betas, double weightDecay, int warmupSteps, Schedule schedule,
      double minLearningRate, double gradClip, int logEvery, int evalEvery, int evalBatches,
      int checkpointEvery, int keepLast) {
    this(device, maxSteps, maxEpochs, batchSize, learningRate, betas, weightDecay, warmupSteps,
        schedule, minLearningRate, gradClip, logEvery, evalEvery, evalBatches, checkpointEvery,
        keepLast, List.of());
  }

  /**
   * The steps to train: {@code max_epochs} passes over the data when it is set (the last partial
   * batch of each epoch is dropped), else {@code max_steps}.
   */
  public TrainerConfig forEpochs(long batchesPerEpoch) {
    if (maxEpochs == 0) {
      return this;
    }
    long steps = maxEpochs * batchesPerEpoch;
    if (steps > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("max_epochs = " + maxEpochs + " means " + steps + " steps, too many");
    }
    return new TrainerConfig(device, (int) steps, 0, batchSize, learningRate, betas, weightDecay,
        warmupSteps, schedule, minLearningRate, gradClip, logEvery, evalEvery, evalBatches,
        checkpointEvery, keepLast, devices);
  }

  private static void positive(String key, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(key + " must be > 0, got " + v);
    }
  }
}
