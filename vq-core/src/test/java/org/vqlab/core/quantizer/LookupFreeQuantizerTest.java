package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LFQ: sign bits as indices, and the entropy terms against their closed forms. */
class LookupFreeQuantizerTest {
  private static final double TAU = 0.5;
  private NDManager manager;
  private ParameterStore ps;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    ps = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private LookupFreeQuantizer lfq(int d, int chunk) {
    LookupFreeQuantizer q = new LookupFreeQuantizer(new LfqConfig(d, 0.25, 0.1, 1.0, TAU, chunk));
    q.initialize(manager, DataType.FLOAT32, new Shape(1, d));
    return q;
  }

  private static double h(double p) {
    return -(p > 0 ? p * Math.log(p) : 0) - (p < 1 ? (1 - p) * Math.log(1 - p) : 0);
  }

  @Test
  void indicesAreTheSignBits() {
    LookupFreeQuantizer q = lfq(3, 0);
    assertEquals(8, q.numCodes());
    NDArray z = manager.create(new float[][] {{0.3f, -0.2f, 0.5f}, {-1f, -1f, -1f},
        {0f, 2f, 0f}, {4f, 4f, 4f}});
    QuantizerOutput out = q.quantize(ps, z, false);
    // bit c = [z_c > 0], channel 0 least significant; z = 0 is bit 0 (-1)
    assertArrayEquals(new long[] {0b101, 0, 0b010, 0b111}, out.indices().toLongArray());
    assertArrayEquals(new float[] {1, -1, 1, -1, -1, -1, -1, 1, -1, 1, 1, 1},
        out.quantized().toFloatArray());
  }

  /** d = 1: two codes -1, +1; p(+1 | z) = sigmoid(4 z / tau) in closed form. */
  @Test
  void entropyTermsOnTwoCodesMatchTheClosedForm() {
    LookupFreeQuantizer q = lfq(1, 0);
    float[] z = {0.3f, -0.1f, 0.05f};
    NDList terms = q.entropyTerms(manager.create(z, new Shape(3, 1)));
    double perSample = 0;
    double meanP = 0;
    for (float v : z) {
      double p = 1 / (1 + Math.exp(-4 * v / TAU));
      perSample += h(p) / z.length;
      meanP += p / z.length;
    }
    assertEquals(perSample, terms.get(0).getFloat(), 1e-5);
    assertEquals(h(meanP), terms.get(1).getFloat(), 1e-5);
  }

  /** d = 2: the factorised per-sample entropy equals the full softmax over the 4 codes. */
  @Test
  void entropyTermsOnFourCodesMatchTheFullSoftAssignment() {
    float[][] z = {{0.3f, -0.2f}, {0.1f, 0.4f}, {-0.25f, -0.05f}};
    double[][] codes = {{-1, -1}, {1, -1}, {-1, 1}, {1, 1}};
    double perSample = 0;
    double[] mean = new double[4];
    for (float[] row : z) {
      double[] logits = new double[4];
      double norm = 0;
      for (int k = 0; k < 4; k++) {
        logits[k] = 2 * (row[0] * codes[k][0] + row[1] * codes[k][1]) / TAU;
        norm += Math.exp(logits[k]);
      }
      for (int k = 0; k < 4; k++) {
        double p = Math.exp(logits[k]) / norm;
        perSample -= p * Math.log(p) / z.length;
        mean[k] += p / z.length;
      }
    }
    double batch = 0;
    for (double p : mean) {
      batch -= p * Math.log(p);
    }
    for (int chunk : new int[] {0, 2}) {
      NDList terms = lfq(2, chunk).entropyTerms(manager.create(z));
      assertEquals(perSample, terms.get(0).getFloat(), 1e-5, "chunk " + chunk);
      assertEquals(batch, terms.get(1).getFloat(), 1e-5, "chunk " + chunk);
    }
  }

  @Test
  void lossIsCommitmentPlusWeightedPenaltyAndTheEncoderGetsTheGradient() {
    LookupFreeQuantizer q = lfq(2, 0);
    float[][] rows = {{0.3f, -0.2f}, {0.1f, 0.4f}};
    NDArray z = manager.create(rows);
    z.setRequiresGradient(true);
    QuantizerOutput out;
    NDList terms = q.entropyTerms(manager.create(rows));
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      out = q.quantize(ps, z, true);
      gc.backward(out.quantized().mul(manager.create(new float[][] {{1, 2}, {3, 4}})).sum());
    }
    double commitment = 0;
    for (float[] row : rows) {
      for (float v : row) {
        double s = v > 0 ? 1 : -1;
        commitment += (v - s) * (v - s) / 4;
      }
    }
    double penalty = 0.1 * (terms.get(0).getFloat() - terms.get(1).getFloat());
    assertEquals(0.25 * commitment, out.commitmentLoss().getFloat(), 1e-6);
    assertEquals(penalty, out.codebookLoss().getFloat(), 1e-6);
    assertEquals(0.25 * commitment + penalty, out.loss().getFloat(), 1e-6);
    // straight-through: the output's gradient reaches z unchanged
    assertArrayEquals(new float[] {1, 2, 3, 4}, z.getGradient().toFloatArray(), 0f);
  }

  @Test
  void codeDimIsLimitedWithTheEntropyPenalty() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LfqConfig(17, 0.25, 0.1, 1.0, 0.01, 0));
    assertTrue(e.getMessage().startsWith("code_dim must be <= 16"), e.getMessage());
    assertEquals(1 << 20, new LookupFreeQuantizer(new LfqConfig(20, 0.25, 0, 1.0, 0.01, 0))
        .numCodes());
  }
}
