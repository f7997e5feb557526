package org.vqlab.experiments.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vqlab.core.codes.CodeBatch;
import org.vqlab.core.nn.ScalarOps;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.train.TrainingTask;
import org.vqlab.priors.CodeNll;

/**
 * Trains the prior of one level on stored codes: the loss is the mean negative log-likelihood in
 * nats per code. The condition is the batch's labels (when the store has classes; a prior that is
 * not class-conditional ignores them) and, below the top, the codes of the level just above.
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
    NDArray logits = prior.logits(parameters, codes, condition(batch), training);
    NDArray nats = CodeNll.nats(logits, codes);
    Map<String, NDArray> scalars = new LinkedHashMap<>();
    scalars.put("nats_per_code", nats);
    scalars.put("bits_per_code", ScalarOps.div(nats, LN2));
    return new StepOutput(nats, scalars);
  }
}
