package org.vqlab.experiments.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vqlab.core.codes.CodeBatch;
import org.vqlab.core.nn.ScalarOps;
import org.vqlab.core.prior.ClipPrior;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.train.TrainingTask;

/**
 * Trains the prior of one level on stored codes: the loss is the mean negative log-likelihood in
 * nats per code. The condition is the batch's labels (when the store has classes; a prior that is
 * not class-conditional ignores them) and, below the top, the codes of the level just above.
 *
 * <p>Clips (B, T, h, w): a {@link ClipPrior} models each frame given its past ({@link
 * ClipPrior#clipNats}) and its evaluation also reports {@code bits_per_code_without_past}, the
 * same frames with the past replaced by the start; an image prior models the frames as independent
 * images (T folded into the batch, labels and upper codes repeated per frame).
 */
public final class PriorTask implements TrainingTask<CodeBatch> {
  private static final double LN2 = Math.log(2);
  private final CodePrior prior;
  private final int level;
  private final List<Integer> stages;

  /** {@code level} indexes the store's levels, 0 = top; every level single codes (stage 0). */
  public PriorTask(CodePrior prior, int level) {
    this(prior, level, java.util.Collections.nCopies(level + 1, 0));
  }

  /** {@code stages}: the stage of each of the store's levels ({@code CodeLevel#stage}). */
  public PriorTask(CodePrior prior, int level, List<Integer> stages) {
    this.prior = prior;
    this.level = level;
    this.stages = List.copyOf(stages);
  }

  public CodePrior prior() {
    return prior;
  }

  @Override
  public Block block() {
    return prior;
  }

  /** What the prior of this level sees besides its own codes. */
  public PriorCondition condition(CodeBatch batch) {
    return PriorCondition.ofGrid(batch.labels(), batch.levels(), stages, level);
  }

  @Override
  public StepOutput forward(ParameterStore parameters, CodeBatch batch, boolean training) {
    NDArray codes = batch.level(level);
    NDArray nats;
    NDArray withoutPast = null;
    if (codes.getShape().dimension() == 4) {
      if (prior instanceof ClipPrior clipPrior) {
        nats = clipPrior.clipNats(parameters, codes, batch.labels(), training);
        if (!training) {
          withoutPast = clipPrior.frameBits(parameters, codes, batch.labels(), false).mean();
        }
      } else {
        long t = codes.getShape().get(1);
        NDArray frames = codes.reshape(-1, codes.getShape().get(2), codes.getShape().get(3));
        nats = prior.natsPerCode(parameters, frames, condition(batch).perFrame(t), training);
      }
    } else {
      if (prior instanceof ClipPrior) {
        throw new IllegalArgumentException("the video prior needs clips of codes (B, T, h, w),"
            + " the store holds images " + codes.getShape());
      }
      nats = prior.natsPerCode(parameters, codes, condition(batch), training);
    }
    Map<String, NDArray> scalars = new LinkedHashMap<>();
    scalars.put("nats_per_code", nats);
    scalars.put("bits_per_code", ScalarOps.div(nats, LN2));
    if (withoutPast != null) {
      scalars.put("bits_per_code_without_past", withoutPast);
    }
    return new StepOutput(nats, scalars);
  }
}
