package org.example.gumbel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.quantizer.Quantizer;
import org.vqlab.core.quantizer.QuantizerOutput;
import org.vqlab.testkit.PluginConfigs;
import org.vqlab.testkit.QuantizerContract;

/**
 * The test kit's quantizer contract (layouts, index range, decode, gradients, finite losses and
 * statistics, pure evaluation, save/load) plus what is particular to Gumbel-softmax sampling.
 */
class GumbelQuantizerTest extends QuantizerContract {

  /** The quantizer as VQLab builds it: the shipped gumbel.conf with small sizes on top. */
  @Override
  protected Quantizer create() {
    return new GumbelQuantizerFactory().create(
        PluginConfigs.section("quantizer", "gumbel", "num_codes = 16\ncode_dim = 4"));
  }

  /** The gradient flows through the soft sample, not as the identity. */
  @Override
  protected boolean straightThroughIsIdentity() {
    return false;
  }

  /** A quantizer whose logits are the constant log p: W = 0 and b = log p. */
  private GumbelQuantizer withLogits(double... p) {
    GumbelQuantizer q = new GumbelQuantizer(new GumbelQuantizerConfig(p.length, 2, 1.0, 0, 1.0, 1.0, true));
    q.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 2));
    float[] logP = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      logP[i] = (float) Math.log(p[i]);
    }
    q.getParameters().get("logits_weight").getArray().muli(0f);
    q.getParameters().get("logits_bias").getArray().set(logP);
    return q;
  }

  @Test
  void trainingSamplesCodesWithTheSoftmaxProbabilities() {
    double[] p = {0.1, 0.2, 0.3, 0.4};
    GumbelQuantizer q = withLogits(p);
    int n = 20000;
    long[] indices = q.quantize(parameters, manager.zeros(new Shape(n, 2)), true).indices().toLongArray();
    int[] counts = new int[p.length];
    for (long i : indices) {
      counts[(int) i]++;
    }
    for (int k = 0; k < p.length; k++) {
      // Gumbel-max: P(code k) = p_k; 4 standard errors of a frequency over 20000 draws <= 0.014.
      assertEquals(p[k], counts[k] / (double) n, 0.014, "frequency of code " + k);
    }
    // Evaluation takes the most likely code, always.
    NDArray eval = q.quantize(parameters, manager.zeros(new Shape(8, 2)), false).indices();
    assertEquals(8, eval.eq(manager.create(3L)).sum().getLong());
  }

  @Test
  void klToTheUniformPriorIsTheClosedForm() {
    double[] p = {0.1, 0.2, 0.3, 0.4};
    QuantizerOutput out = withLogits(p).quantize(parameters, manager.zeros(new Shape(5, 2)), false);
    double kl = 0;
    for (double pk : p) {
      kl += pk * Math.log(pk * p.length);
    }
    assertEquals(kl, out.codebookLoss().getFloat(), 1e-5);
    assertEquals(kl, out.loss().getFloat(), 1e-5, "kl_weight = 1");
    QuantizerOutput uniform = withLogits(0.25, 0.25, 0.25, 0.25).quantize(parameters,
        manager.zeros(new Shape(5, 2)), false);
    assertEquals(0, uniform.codebookLoss().getFloat(), 1e-6);
  }

  @Test
  void temperatureAnnealsWithTheSavedStepCount() {
    GumbelQuantizerConfig c = new GumbelQuantizerConfig(8, 2, 2.0, 0.1, 0.5, 0, true);
    assertEquals(2.0, c.temperatureAt(0), 0);
    assertEquals(2.0 * Math.exp(-1), c.temperatureAt(10), 1e-12);
    assertEquals(0.5, c.temperatureAt(1000), 0);
    GumbelQuantizer q = new GumbelQuantizer(c);
    q.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 2));
    for (int i = 0; i < 10; i++) {
      q.quantize(parameters, manager.randomNormal(new Shape(4, 2)), true);
    }
    assertEquals(2.0 * Math.exp(-1), q.temperature(), 1e-12);
    assertEquals(10f, q.getParameters().get("step").getArray().getFloat(0));
  }

  @Test
  void shippedDefaultsAndInvalidValuesNameTheKey() {
    GumbelQuantizerConfig c = PluginConfigs.section("quantizer", "gumbel", "").bind(GumbelQuantizerConfig.class);
    assertEquals(new GumbelQuantizerConfig(512, 64, 1.0, 3e-5, 0.5, 5e-4, true), c);
    ConfigError e = assertThrows(ConfigError.class, () -> PluginConfigs.section("quantizer", "gumbel",
        "min_temperature = 2").bind(GumbelQuantizerConfig.class));
    assertTrue(e.getMessage().contains("min_temperature"), e.getMessage());
    // VQ-VAE-2's per-level codebook sizes reach num_codes.
    assertEquals(32, new GumbelQuantizerFactory().withNumCodes(PluginConfigs.section("quantizer", "gumbel", ""),
        32, "model.num_codes[0]").bind(GumbelQuantizerConfig.class).numCodes());
  }
}
