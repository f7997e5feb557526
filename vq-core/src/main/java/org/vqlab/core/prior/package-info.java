/**
 * Priors over codes and what a prior plugin needs.
 *
 * <p>A {@link org.vqlab.core.prior.CodePrior} gives causal logits (B, K, h, w) of a code grid
 * given a {@link org.vqlab.core.prior.PriorCondition} (labels, the level above, past frames). Its
 * {@code logProbability} (B nats, summed over positions) is what training
 * ({@code natsPerCode}), bits/dim and the hierarchy's bound read; the default computes it from
 * the logits, and an override must return the same values. {@code sample} must give exactly the
 * codes of {@link org.vqlab.core.prior.AncestralSampling#reference} from the same uniforms (all
 * randomness is one array of uniforms, inverse CDF per position). In a hierarchy level l is
 * conditioned on level l - 1 through {@link org.vqlab.core.prior.PriorCondition#ofLevel}, the one
 * place that rule lives. A video prior implements {@link org.vqlab.core.prior.ClipPrior}.
 *
 * <p>A factory returns the prior uninitialised; the caller initialises it for (1, h, w). Use
 * {@link org.vqlab.core.nn.ScalarOps} for constants under autograd and attach results computed
 * from parameters alone to the step's manager (see {@link org.vqlab.core.plugin}).
 */
package org.vqlab.core.prior;
