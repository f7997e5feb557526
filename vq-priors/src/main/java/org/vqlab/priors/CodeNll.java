package org.vqlab.priors;

import ai.djl.ndarray.NDArray;
import org.vqlab.core.nn.ScalarOps;

/** The negative log-likelihood of codes under a prior's logits, the loss a prior is trained on. */
public final class CodeNll {
  private static final double LN2 = Math.log(2);

  private CodeNll() {}

  /** Mean over every code of -log p(code) in nats: logits (B, K, h, w), codes (B, h, w) int64. */
  public static NDArray nats(NDArray logits, NDArray codes) {
    NDArray logp = logits.logSoftmax(1).gather(codes.expandDims(1), 1);
    return logp.mean().neg();
  }

  /** The same in bits per code. */
  public static NDArray bits(NDArray logits, NDArray codes) {
    return ScalarOps.div(nats(logits, codes), LN2);
  }
}
