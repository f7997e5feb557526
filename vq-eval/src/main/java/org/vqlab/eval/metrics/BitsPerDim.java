package org.vqlab.eval.metrics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.metric.EvaluationContext;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.core.metric.MetricValue;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.ImportanceWeightedBound;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.eval.DeviceSum;
import org.vqlab.eval.TestBatches;

/**
 * Negative log-likelihood of the test split in bits per dimension, D = C x H x W of the 8-bit
 * data. For a VQ model, the bound -[log p(x | z_q) + sum_l log p(z_l)] with z the encoded codes,
 * the first term from the decoder's discrete likelihood and the second from each level's trained
 * prior (conditioned on the class and the level above), reported in total and as its terms, and
 * with a uniform prior (log K per code) for comparison. For a continuous-latent model, the
 * negative ELBO and, when configured, the importance-weighted bound with k samples.
 */
public final class BitsPerDim extends TestSplitMetric {
  public static final String NAME = "bits_per_dim";
  private static final double LN2 = Math.log(2);
  private final BitsPerDimConfig config;

  public BitsPerDim(BitsPerDimConfig config) {
    super(NAME);
    this.config = config;
  }

  @Override
  protected MetricResult evaluate(EvaluationContext context, Autoencoder model, VqDataset data) {
    try {
      return model.quantizers().isEmpty() ? continuous(context, model, data)
          : discrete(context, model, data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the test split", e);
    }
  }

  private MetricResult discrete(EvaluationContext context, Autoencoder model, VqDataset data)
      throws IOException {
    ParameterStore ps = context.parameters();
    int levels = model.quantizers().size();
    List<String> names = model.codeLevelNames();
    List<Integer> stages = model.codeStages();
    List<Optional<CodePrior>> priors = new ArrayList<>();
    for (int l = 0; l < levels; l++) {
      priors.add(context.prior(l));
    }
    double[] uniformNats = new double[levels];
    long[] images = new long[1];
    List<DeviceSum> prior = new ArrayList<>();
    try (DeviceSum reconstruction = new DeviceSum(context.manager())) {
      for (int l = 0; l < levels; l++) {
        prior.add(new DeviceSum(context.manager()));
      }
      TestBatches.forEach(context, data, (scope, x, labels) -> {
        List<NDArray> codes = model.encodeCodes(ps, x);
        reconstruction.add(model.logLikelihood(ps, x, new NDList(codes)));
        for (int l = 0; l < levels; l++) {
          NDArray z = codes.get(l).toType(DataType.INT64, false);
          uniformNats[l] += z.size() * Math.log(model.quantizers().get(l).numCodes());
          if (priors.get(l).isPresent()) {
            prior.get(l).add(priors.get(l).get().logProbability(ps, z,
                PriorCondition.ofGrid(labels, codes, stages, l), false));
          }
        }
        images[0] += x.getShape().get(0);
      });
      double perBits = 1.0 / (images[0] * TestBatches.dimension(data) * LN2);
      Map<String, MetricValue> values = new LinkedHashMap<>();
      Map<String, String> missing = new LinkedHashMap<>();
      double recon = -reconstruction.value() * perBits;
      double priorTotal = 0;
      double uniformTotal = 0;
      List<String> absent = new ArrayList<>();
      Map<String, MetricValue> priorValues = new LinkedHashMap<>();
      for (int l = 0; l < levels; l++) {
        String level = names.get(l);
        uniformTotal += uniformNats[l] * perBits;
        if (priors.get(l).isPresent()) {
          double bits = -prior.get(l).value() * perBits;
          priorTotal += bits;
          priorValues.put(NAME + "/prior/" + level, new MetricValue(bits, "bits/dim",
              "-log p(z_" + level + ") under the trained prior of level " + level
                  + (l > 0 ? " given the codes above" : "") + ", per image dimension, in bits"));
        } else {
          absent.add(level);
          missing.put(NAME + "/prior/" + level, context.missing().getOrDefault("prior/" + level,
              "no trained prior for level " + level));
        }
      }
      if (absent.isEmpty()) {
        values.put(NAME + "/total", new MetricValue(recon + priorTotal, "bits/dim",
            "-[log p(x | z_q) + log p(z)] with z the encoded codes: the reconstruction term plus"
                + " the prior term, per image dimension (C x H x W) of the 8-bit data, in bits"));
      } else {
        String reason = "needs the prior of every level; missing: " + String.join(", ", absent);
        missing.put(NAME + "/total", reason);
        missing.put(NAME + "/prior", reason);
      }
      values.put(NAME + "/reconstruction", new MetricValue(recon, "bits/dim",
          "-log p(x | z_q) under the decoder's discrete likelihood over the 256 pixel values, z_q"
              + " the quantised encoding of x, per image dimension, in bits"));
      if (absent.isEmpty()) {
        values.put(NAME + "/prior", new MetricValue(priorTotal, "bits/dim",
            "-log p(z) summed over the levels' trained priors, per image dimension, in bits"));
      }
      values.putAll(priorValues);
      values.put(NAME + "/uniform_prior", new MetricValue(uniformTotal, "bits/dim",
          "the prior term under a uniform prior: log2 K per code, summed over every level's"
              + " codes, per image dimension"));
      values.put(NAME + "/uniform_prior_total", new MetricValue(recon + uniformTotal, "bits/dim",
          "-log p(x | z_q) plus the uniform prior term: the bound without a learned prior"));
      values.put(NAME + "/items", new MetricValue(images[0], "images",
          "test images (frames of clips) the bits/dim are averaged over"));
      return new MetricResult(values, List.of(), missing);
    } finally {
      prior.forEach(DeviceSum::close);
    }
  }

  private MetricResult continuous(EvaluationContext context, Autoencoder model, VqDataset data)
      throws IOException {
    ParameterStore ps = context.parameters();
    int k = config.iwaeSamples();
    boolean iwae = k > 0 && model instanceof ImportanceWeightedBound;
    long[] images = new long[1];
    // The ELBO and the bound draw latents: seeded so that a report is reproducible.
    Engine.getInstance().setRandomSeed((int) context.seed());
    try (DeviceSum elbo = new DeviceSum(context.manager());
        DeviceSum weighted = new DeviceSum(context.manager())) {
      TestBatches.forEach(context, data, (scope, x, labels) -> {
        elbo.add(model.logLikelihood(ps, x, new NDList()));
        if (iwae) {
          weighted.add(((ImportanceWeightedBound) model).importanceWeightedLogLikelihood(ps, x, k));
        }
        images[0] += x.getShape().get(0);
      });
      double perBits = 1.0 / (images[0] * TestBatches.dimension(data) * LN2);
      Map<String, MetricValue> values = new LinkedHashMap<>();
      Map<String, String> missing = new LinkedHashMap<>();
      double negativeElbo = -elbo.value() * perBits;
      double bound = iwae ? Math.min(negativeElbo, -weighted.value() * perBits) : negativeElbo;
      // The same key as a VQ model's bound, so that `vq compare` puts the two side by side.
      values.put(NAME + "/total", new MetricValue(bound, "bits/dim",
          "the tightest upper bound on -log p(x) computed here (the negative ELBO, or the"
              + " importance-weighted bound when iwae_samples > 0), per image dimension, in bits"));
      values.put(NAME + "/negative_elbo", new MetricValue(negativeElbo, "bits/dim",
          "negative ELBO, -E_q[log p(x | z)] + KL(q(z | x) || p(z)) with one latent sample and the"
              + " KL in closed form, per image dimension (C x H x W) of the 8-bit data, in bits;"
              + " an upper bound on -log p(x)"));
      if (iwae) {
        values.put(NAME + "/iwae", new MetricValue(-weighted.value() * perBits, "bits/dim",
            "negative importance-weighted bound with k = " + k + " samples, -log (1/k) sum_i"
                + " p(x, z_i) / q(z_i | x), per image dimension, in bits; tighter than the ELBO"));
      } else if (k > 0) {
        missing.put(NAME + "/iwae", "the model does not provide an importance-weighted bound");
      }
      values.put(NAME + "/items", new MetricValue(images[0], "images",
          "test images (frames of clips) the bits/dim are averaged over"));
      return new MetricResult(values, List.of(), missing);
    }
  }
}
