package org.vqlab.experiments.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vqlab.core.codes.CodeBatch;
import org.vqlab.core.nn.ScalarOps;
import org.vqlab.core.prior.ClipPrior;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.train.TrainingTask;
import org.vqlab.priors.CodeNll;

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

  /** {@code level} indexes the store's levels, 0 = top. */
  public PriorTask(CodePrior prior, int level) {
    this.prior = prior;
    this.level = level;
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
    return new PriorCondition(batch.labels(), level > 0 ? batch.level(level - 1) : null, null);
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
        Shape s = codes.getShape();
        long t = s.get(1);
        NDArray frames = codes.reshape(-1, s.get(2), s.get(3));
        NDArray upper = level > 0 ? foldFrames(batch.level(level - 1)) : null;
        NDArray labels = batch.labels() == null ? null
            : batch.labels().expandDims(1).repeat(1, t).reshape(-1);
        NDArray logits = prior.logits(parameters, frames, new PriorCondition(labels, upper, null),
            training);
        nats = CodeNll.nats(logits, frames);
      }
    } else {
      if (prior instanceof ClipPrior) {
        throw new IllegalArgumentException("the video prior needs clips of codes (B, T, h, w),"
            + " the store holds images " + codes.getShape());
      }
      NDArray logits = prior.logits(parameters, codes, condition(batch), training);
      nats = CodeNll.nats(logits, codes);
    }
    Map<String, NDArray> scalars = new LinkedHashMap<>();
    scalars.put("nats_per_code", nats);
    scalars.put("bits_per_code", ScalarOps.div(nats, LN2));
    if (withoutPast != null) {
      scalars.put("bits_per_code_without_past", withoutPast);
    }
    return new StepOutput(nats, scalars);
  }

  /** (B, T, h, w) -> (B T, h, w). */
  private static NDArray foldFrames(NDArray clip) {
    Shape s = clip.getShape();
    return clip.reshape(-1, s.get(2), s.get(3));
  }
}
