package org.vqlab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.AutoencoderOutput;
import org.vqlab.core.model.ImportanceWeightedBound;
import org.vqlab.core.model.LatentPriorSampling;
import org.vqlab.core.quantizer.Quantizer;
import org.vqlab.models.likelihood.DecoderLikelihood;
import org.vqlab.models.nn.ConvStacks;
import org.vqlab.core.nn.ScalarOps;
import org.vqlab.core.nn.Slicing;

/**
 * The Gaussian VAE baseline the VQ-VAE paper compares against: the VQ-VAE encoder and decoder with a
 * continuous latent map z ~ N(mu, sigma^2) of {@code latentDim} channels at 1/downsample of the
 * image, the reparameterisation trick, and the ELBO with the KL to N(0, I) in closed form.
 *
 * <p>The loss is recon_loss + KL / (C H W): with a Gaussian or logistic likelihood that is the
 * negative ELBO in nats per dimension; with mse it weighs the KL against the scaled squared error.
 */
public final class GaussianVae extends AbstractBlock implements Autoencoder,
    ImportanceWeightedBound, LatentPriorSampling {
  private final int latentDim;
  private final SequentialBlock encoder;
  private final Conv2d posterior;
  private final SequentialBlock decoder;
  private final DecoderLikelihood likelihood;
  private final PixelNormalization normalization;
  /** The latent map's (h, w), known once the block is initialised. */
  private long latentHeight;
  private long latentWidth;

  public GaussianVae(Shape imageShape, int latentDim, int channels, int residualChannels,
      int residualBlocks, int downsample, DecoderLikelihood likelihood,
      PixelNormalization normalization) {
    ArchitectureChecks.divisible(imageShape, downsample, 1);
    this.latentDim = latentDim;
    this.likelihood = likelihood;
    this.normalization = normalization;
    encoder = addChildBlock("encoder",
        ConvStacks.encoder(channels, residualChannels, residualBlocks, downsample));
    // One 1 x 1 projection gives the posterior mean and log-variance, latentDim channels each.
    posterior = addChildBlock("posterior", ConvStacks.conv(2 * latentDim, 1, 1, 0));
    int outChannels = (int) imageShape.get(0) * likelihood.channelsPerImageChannel();
    decoder = addChildBlock("decoder",
        ConvStacks.decoder(channels, residualChannels, residualBlocks, downsample, outChannels));
  }

  public DecoderLikelihood likelihood() {
    return likelihood;
  }

  /** Posterior mean and log-variance, each (B, latentDim, h, w). */
  public NDList posterior(ParameterStore ps, NDArray images, boolean training) {
    NDArray h = encoder.forward(ps, new NDList(images), training).singletonOrThrow();
    NDArray stats = posterior.forward(ps, new NDList(h), training).singletonOrThrow();
    NDArray mean = Slicing.narrow(stats, 1, 0, latentDim);
    // Bounded so that exp() cannot overflow early in training.
    NDArray logVar = Slicing.narrow(stats, 1, latentDim, stats.getShape().get(1)).clip(-30, 20);
    return new NDList(mean, logVar);
  }

  private NDArray decode(ParameterStore ps, NDArray z, boolean training) {
    return decoder.forward(ps, new NDList(z), training).singletonOrThrow();
  }

  private static NDArray sample(NDArray mean, NDArray logVar) {
    NDArray eps = mean.getManager().randomNormal(0, 1, mean.getShape(), mean.getDataType());
    return mean.add(ScalarOps.mul(logVar, 0.5).exp().mul(eps));
  }

  /** KL(N(mean, e^logVar) || N(0, I)) per image, in nats. */
  static NDArray klDivergence(NDArray mean, NDArray logVar) {
    return ScalarOps.mul(mean.square().add(logVar.exp()).sub(logVar).sub(1), 0.5)
        .sum(new int[] {1, 2, 3});
  }

  @Override
  public AutoencoderOutput compute(ParameterStore ps, NDArray images, boolean training) {
    NDList post = posterior(ps, images, training);
    NDArray mean = post.get(0);
    NDArray logVar = post.get(1);
    NDArray decoded = decode(ps, sample(mean, logVar), training);
    NDArray reconstruction = likelihood.reconstruction(decoded);
    NDArray reconLoss = likelihood.loss(decoded, images);
    NDArray kl = klDivergence(mean, logVar);
    double dims = images.getShape().size() / images.getShape().get(0);
    NDArray klMean = kl.mean();
    NDArray loss = reconLoss.add(ScalarOps.div(klMean, dims));
    Map<String, NDArray> terms = new LinkedHashMap<>();
    terms.put("loss", loss);
    terms.put("recon_loss", reconLoss);
    terms.put("mse", PixelMse.of(images, reconstruction, normalization));
    terms.put("kl", klMean);
    terms.put("elbo", likelihood.logLikelihood(decoded, images).sub(kl).mean());
    return new AutoencoderOutput(reconstruction, loss, terms, List.of());
  }

  @Override
  public List<NDArray> encodeCodes(ParameterStore ps, NDArray images) {
    return List.of();
  }

  /** Decodes one continuous latent map (B, latentDim, h, w), e.g. a sample from N(0, I). */
  @Override
  public NDArray decodeCodes(ParameterStore ps, NDList codes) {
    if (codes.size() != 1) {
      throw new IllegalArgumentException("the VAE decodes one latent map (B, " + latentDim
          + ", h, w), got " + codes.size() + " arrays");
    }
    return likelihood.reconstruction(decode(ps, codes.singletonOrThrow(), false));
  }

  /** A one-sample estimate of the ELBO per image (nats); {@code codes} is ignored. */
  @Override
  public NDArray logLikelihood(ParameterStore ps, NDArray images, NDList codes) {
    NDList post = posterior(ps, images, false);
    NDArray decoded = decode(ps, sample(post.get(0), post.get(1)), false);
    return likelihood.logLikelihood(decoded, images).sub(klDivergence(post.get(0), post.get(1)));
  }

  /**
   * log (1/k) sum_i p(x | z_i) N(z_i; 0, I) / q(z_i | x) per image, from k reparameterised draws;
   * with z = mu + sigma eps the log density ratio is sum(eps^2 / 2 - z^2 / 2 + logVar / 2).
   */
  @Override
  public NDArray importanceWeightedLogLikelihood(ParameterStore ps, NDArray images, int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("importance samples must be >= 1, got " + samples);
    }
    NDList post = posterior(ps, images, false);
    NDArray mean = post.get(0);
    NDArray logVar = post.get(1);
    NDArray std = logVar.mul(0.5).exp();
    NDList logWeights = new NDList();
    for (int i = 0; i < samples; i++) {
      NDArray eps = mean.getManager().randomNormal(0, 1, mean.getShape(), mean.getDataType());
      NDArray z = mean.add(std.mul(eps));
      NDArray logRatio = eps.square().sub(z.square()).add(logVar).mul(0.5).sum(new int[] {1, 2, 3});
      logWeights.add(likelihood.logLikelihood(decode(ps, z, false), images).add(logRatio));
    }
    // A stable log-mean-exp over the k weights.
    NDArray w = NDArrays.stack(logWeights);
    NDArray max = w.max(new int[] {0});
    return w.sub(max).exp().mean(new int[] {0}).log().add(max);
  }

  @Override
  public List<Quantizer> quantizers() {
    return List.of();
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(compute(ps, inputs.singletonOrThrow(), training).reconstruction());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    Shape h = encoder.getOutputShapes(inputShapes)[0];
    posterior.initialize(manager, dataType, h);
    decoder.initialize(manager, dataType, new Shape(h.get(0), latentDim, h.get(2), h.get(3)));
    latentHeight = h.get(2);
    latentWidth = h.get(3);
  }

  /** z ~ N(0, temperature^2 I) of shape (n, latentDim, h, w), decoded to its reconstruction. */
  @Override
  public NDArray sampleFromPrior(ParameterStore ps, NDManager manager, int n, double temperature) {
    if (latentHeight == 0) {
      throw new IllegalStateException("the VAE is not initialised");
    }
    NDArray z = manager.randomNormal(0f, (float) temperature,
        new Shape(n, latentDim, latentHeight, latentWidth), DataType.FLOAT32);
    return decodeCodes(ps, new NDList(z));
  }
}
