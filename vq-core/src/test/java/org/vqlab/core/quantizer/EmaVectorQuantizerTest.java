package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The EMA update against an independent double-precision evaluation of its closed form. */
class EmaVectorQuantizerTest {
  private static final float[][] CODEBOOK = {{0, 0}, {1, 0}, {0, 2}};
  // No vector is near code 2 (0, 2): it is unused in the first step.
  private static final float[][][] BATCHES = {
      {{0.9f, 0.1f}, {-0.3f, -0.1f}, {0.4f, 0.3f}, {1.2f, -0.2f}},
      {{0.1f, 0.2f}, {0.8f, 0f}, {0.6f, -0.1f}, {-0.2f, 0.3f}},
      {{0.9f, 0.1f}, {-0.3f, -0.1f}, {0.45f, 0.3f}, {1.2f, -0.2f}},
      {{0.3f, 0.1f}, {0.7f, 0.6f}, {0.2f, 0.9f}, {1.0f, 0.2f}}};
  private static final double GAMMA = 0.9;
  private static final double EPS = 1e-5;

  private NDManager manager;
  private ParameterStore ps;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(11);
    manager = NDManager.newBaseManager();
    ps = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void updateEqualsClosedFormOverSeveralSteps(boolean zeroDebias) {
    EmaVectorQuantizer q = QuantizerFixtures.initialized(
        new EmaVectorQuantizer(QuantizerFixtures.ema(3, 2, zeroDebias)), manager);
    QuantizerFixtures.setCodebook(q, manager, CODEBOOK);

    int k = 3;
    double[][] e = new double[k][2];
    double[] hiddenN = new double[k];
    double[][] hiddenM = new double[k][2];
    for (int i = 0; i < k; i++) {
      e[i] = new double[] {CODEBOOK[i][0], CODEBOOK[i][1]};
      hiddenN[i] = zeroDebias ? 0 : 1;
      hiddenM[i] = zeroDebias ? new double[2] : e[i].clone();
    }
    for (int t = 1; t <= BATCHES.length; t++) {
      float[][] batch = BATCHES[t - 1];
      long[] expectedIdx = new long[batch.length];
      double[] counts = new double[k];
      double[][] sums = new double[k][2];
      double sse = 0;
      for (int r = 0; r < batch.length; r++) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int c = 0; c < k; c++) {
          double d = sq(batch[r][0] - e[c][0]) + sq(batch[r][1] - e[c][1]);
          if (d < bestD) {
            bestD = d;
            best = c;
          }
        }
        expectedIdx[r] = best;
        counts[best]++;
        sums[best][0] += batch[r][0];
        sums[best][1] += batch[r][1];
        sse += bestD;
      }
      QuantizerOutput out = q.quantize(ps, manager.create(batch), true);
      assertArrayEquals(expectedIdx, out.indices().toLongArray(), "step " + t);
      assertEquals(0.25 * sse / (batch.length * 2), out.commitmentLoss().getFloat(), 1e-6);
      assertEquals(out.commitmentLoss().getFloat(), out.loss().getFloat(), 0f);
      assertEquals(0f, out.codebookLoss().getFloat(), 0f);

      double bias = zeroDebias ? 1 - Math.pow(GAMMA, t) : 1;
      double[] n = new double[k];
      double total = 0;
      for (int c = 0; c < k; c++) {
        hiddenN[c] = GAMMA * hiddenN[c] + (1 - GAMMA) * counts[c];
        for (int j = 0; j < 2; j++) {
          hiddenM[c][j] = GAMMA * hiddenM[c][j] + (1 - GAMMA) * sums[c][j];
        }
        n[c] = hiddenN[c] / bias;
        total += n[c];
      }
      for (int c = 0; c < k; c++) {
        double smoothed = (n[c] + EPS) / (total + k * EPS) * total;
        for (int j = 0; j < 2; j++) {
          e[c][j] = hiddenM[c][j] / bias / smoothed;
        }
      }
      double[][] actual = QuantizerFixtures.toRows(q.codebook(ps));
      for (int c = 0; c < k; c++) {
        assertArrayEquals(e[c], actual[c], 1e-5, "code " + c + " after step " + t);
        assertTrue(Double.isFinite(actual[c][0]) && Double.isFinite(actual[c][1]));
      }
      float[] clusterSize = q.clusterSize(ps).toFloatArray();
      for (int c = 0; c < k; c++) {
        assertEquals(n[c], clusterSize[c], 1e-5, "N_" + c + " after step " + t);
      }
      if (t == 1) {
        // Code 2 got nothing: with debiasing m = 0 so e = 0 (finite); without, m and N decayed
        // alike from (e_0, 1), so it keeps its place up to the smoothing.
        double[] unused = actual[2];
        assertArrayEquals(zeroDebias ? new double[] {0, 0} : new double[] {0, 2}, unused, 1e-4);
      }
    }
    assertEquals(BATCHES.length, q.steps());
  }


  @Test
  void codebookAndBuffersAreNotTrainedByGradient() {
    EmaVectorQuantizer q = QuantizerFixtures.initialized(
        new EmaVectorQuantizer(QuantizerFixtures.ema(3, 2, true)), manager);
    QuantizerFixtures.setCodebook(q, manager, CODEBOOK);
    for (Parameter p : q.getParameters().values()) {
      assertFalse(p.requiresGradient(), p.getName());
    }
    NDArray z = manager.create(BATCHES[0]);
    z.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      QuantizerOutput out = q.quantize(ps, z, true);
      gc.backward(out.quantized().sum().add(out.loss()));
    }
    // q for the rows is e1, e0, e0, e1 of the codebook before the update
    float[][] codes = {{1, 0}, {0, 0}, {0, 0}, {1, 0}};
    float[] gz = z.getGradient().toFloatArray();
    for (int r = 0; r < 4; r++) {
      for (int j = 0; j < 2; j++) {
        double expected = 1 + 0.25 * 2 * (BATCHES[0][r][j] - codes[r][j]) / 8;
        assertEquals(expected, gz[2 * r + j], 1e-6);
      }
    }
  }

  private static double sq(double x) {
    return x * x;
  }
}
