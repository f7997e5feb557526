package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The options every codebook quantizer shares, against formulas computed here in plain Java: the
 * rotation trick's gradient, the affine codebook from running statistics, the synchronised update.
 */
class CodebookOptionsTest {
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

  private static StandardQuantizerConfig standard(int k, int d, GradientEstimator gradient,
      boolean affine, double momentum, double nu) {
    return new StandardQuantizerConfig(k, d, 0.25, CodebookInit.UNIFORM, 0, CodeDistance.L2, 0,
        0.99, 0, gradient, affine, momentum, nu);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[] scaled(double[] a, double s) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * s;
    }
    return out;
  }

  /** lambda R^T g with R = I - 2 r r^T + 2 u e^T as an explicit matrix. */
  private static double[] rotationGradient(double[] z, double[] q, double[] g) {
    int d = z.length;
    double[] e = scaled(z, 1 / Math.sqrt(dot(z, z)));
    double[] u = scaled(q, 1 / Math.sqrt(dot(q, q)));
    double[] sum = new double[d];
    for (int i = 0; i < d; i++) {
      sum[i] = e[i] + u[i];
    }
    double[] r = scaled(sum, 1 / Math.sqrt(dot(sum, sum)));
    double lambda = Math.sqrt(dot(q, q) / dot(z, z));
    double[][] rot = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        rot[i][j] = (i == j ? 1 : 0) - 2 * r[i] * r[j] + 2 * u[i] * e[j];
      }
    }
    // the rotation takes e onto u
    for (int i = 0; i < d; i++) {
      assertEquals(u[i], dot(rot[i], e), 1e-12);
    }
    double[] out = new double[d];
    for (int j = 0; j < d; j++) {
      for (int i = 0; i < d; i++) {
        out[j] += lambda * rot[i][j] * g[i];
      }
    }
    return out;
  }

  @Test
  void rotationTrickGradientIsTheRotatedAndRescaledGradient() {
    float[][] codebook = {{1f, 2f, 0.5f}, {-1f, 0f, 3f}};
    double[] z = {0.8, 1.5, 0.9};
    double[] g = {0.3, -1.2, 2.0};
    for (boolean ema : new boolean[] {false, true}) {
      AbstractVectorQuantizer q = ema
          ? new EmaVectorQuantizer(new EmaQuantizerConfig(2, 3, 0.25, 0.9, 1e-5, true,
              CodebookInit.UNIFORM, 0, CodeDistance.L2, 0, 0, GradientEstimator.ROTATION, false,
              0.1))
          : new VectorQuantizer(standard(2, 3, GradientEstimator.ROTATION, false, 0.1, 0));
      QuantizerFixtures.initialized(q, manager);
      QuantizerFixtures.setCodebook(q, manager, codebook);
      NDArray zArray = manager.create(new float[][] {{0.8f, 1.5f, 0.9f}});
      zArray.setRequiresGradient(true);
      QuantizerOutput out;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        out = q.quantize(ps, zArray, false);
        gc.backward(out.quantized().mul(manager.create(new float[][] {{0.3f, -1.2f, 2f}})).sum());
      }
      assertEquals(0, out.indices().getLong(0));
      // forward: the rotated, rescaled z is the code itself
      assertArrayEquals(codebook[0], out.quantized().toFloatArray(), 1e-5f);
      double[] expected = rotationGradient(z, new double[] {1, 2, 0.5}, g);
      float[] grad = zArray.getGradient().toFloatArray();
      for (int i = 0; i < 3; i++) {
        assertEquals(expected[i], grad[i], 1e-5, (ema ? "ema" : "standard") + " component " + i);
      }
      // and it is not the straight-through gradient g
      assertEquals(true, Math.abs(expected[0] - g[0]) > 0.1);
    }
  }

  @Test
  void straightThroughGradientIsCopiedUnchanged() {
    VectorQuantizer q = QuantizerFixtures.initialized(
        new VectorQuantizer(standard(2, 3, GradientEstimator.STRAIGHT_THROUGH, false, 0.1, 0)),
        manager);
    QuantizerFixtures.setCodebook(q, manager, new float[][] {{1f, 2f, 0.5f}, {-1f, 0f, 3f}});
    NDArray z = manager.create(new float[][] {{0.8f, 1.5f, 0.9f}});
    z.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(q.quantize(ps, z, false).quantized()
          .mul(manager.create(new float[][] {{0.3f, -1.2f, 2f}})).sum());
    }
    assertArrayEquals(new float[] {0.3f, -1.2f, 2f}, z.getGradient().toFloatArray(), 1e-6f);
  }

  private static double[][] stats(float[][] x) {
    int d = x[0].length;
    double[] mean = new double[d];
    double[] var = new double[d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / (double) x.length;
      }
    }
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        var[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
      }
    }
    return new double[][] {mean, var};
  }

  @Test
  void affineCodebookFollowsTheRunningStatistics() {
    float[][] raw = {{0f, 0f}, {1f, 0f}, {0f, 1f}, {1f, 1f}};
    float[][] batch1 = {{2f, 10f}, {4f, 12f}, {3f, 9f}, {5f, 13f}, {2f, 11f}};
    float[][] batch2 = {{-1f, 0f}, {1f, 2f}, {0f, 1f}};
    VectorQuantizer q = QuantizerFixtures.initialized(
        new VectorQuantizer(standard(4, 2, GradientEstimator.STRAIGHT_THROUGH, true, 0.25, 0)),
        manager);
    QuantizerFixtures.setCodebook(q, manager, raw);
    // Before any training step the statistics are the identity map.
    assertArrayEquals(manager.create(raw).toFloatArray(), q.codebook(ps).toFloatArray(), 1e-6f);

    QuantizerOutput out = q.quantize(ps, manager.create(batch1), true);
    double[][] c = stats(raw);
    double[][] z1 = stats(batch1);
    double[][] expected = new double[4][2];
    for (int k = 0; k < 4; k++) {
      for (int j = 0; j < 2; j++) {
        expected[k][j] = z1[0][j] + Math.sqrt(z1[1][j] / (c[1][j] + 1e-8)) * (raw[k][j] - c[0][j]);
      }
    }
    double[][] effective = QuantizerFixtures.toRows(q.codebook(ps));
    for (int k = 0; k < 4; k++) {
      assertArrayEquals(expected[k], effective[k], 1e-4, "code " + k);
    }
    // The search and the output use the mapped codes.
    double[][] quantized = QuantizerFixtures.toRows(out.quantized());
    long[] indices = out.indices().toLongArray();
    for (int n = 0; n < batch1.length; n++) {
      int best = 0;
      double bestD = Double.MAX_VALUE;
      for (int k = 0; k < 4; k++) {
        double d = Math.pow(batch1[n][0] - expected[k][0], 2)
            + Math.pow(batch1[n][1] - expected[k][1], 2);
        if (d < bestD) {
          bestD = d;
          best = k;
        }
      }
      assertEquals(best, indices[n], "row " + n);
      assertArrayEquals(expected[best], quantized[n], 1e-4, "row " + n);
    }

    // The second step blends in with momentum 0.25 (raw codes moved by one gradient-free step:
    // nothing trains them here, so their statistics stay those of raw).
    q.quantize(ps, manager.create(batch2), true);
    double[][] z2 = stats(batch2);
    float[] zMean = q.getParameters().get("affine_z_mean").getArray().toFloatArray();
    float[] zVar = q.getParameters().get("affine_z_var").getArray().toFloatArray();
    for (int j = 0; j < 2; j++) {
      assertEquals(0.75 * z1[0][j] + 0.25 * z2[0][j], zMean[j], 1e-5, "mean " + j);
      assertEquals(0.75 * z1[1][j] + 0.25 * z2[1][j], zVar[j], 1e-5, "var " + j);
    }
  }

  @Test
  void synchronisedUpdateGivesTheCodebookNuTimesTheDecodersGradient() {
    VectorQuantizer q = QuantizerFixtures.initialized(
        new VectorQuantizer(standard(2, 2, GradientEstimator.STRAIGHT_THROUGH, false, 0.1, 0.5)),
        manager);
    QuantizerFixtures.setCodebook(q, manager, new float[][] {{0f, 0f}, {1f, 1f}});
    NDArray z = manager.create(new float[][] {{0.1f, 0.2f}, {0.9f, 1.2f}, {0.8f, 0.7f}});
    z.setRequiresGradient(true);
    float[][] g = {{1f, 2f}, {3f, 4f}, {5f, 6f}};
    QuantizerOutput out;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      out = q.quantize(ps, z, false);
      gc.backward(out.quantized().mul(manager.create(g)).sum());
    }
    // the value is unchanged: the codes
    assertArrayEquals(new float[] {0, 0, 1, 1, 1, 1}, out.quantized().toFloatArray(), 1e-6f);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, z.getGradient().toFloatArray(), 1e-6f);
    // code 0 got row 0, code 1 rows 1 and 2: nu * sum of their gradients
    float[] codeGrad = q.codebook.getArray().getGradient().toFloatArray();
    assertArrayEquals(new float[] {0.5f, 1f, 4f, 5f}, codeGrad, 1e-6f);
  }

  @Test
  void float16InputIsSearchedInFloat32AndComesBackInFloat16() {
    // |e|^2 - 2 z.e near -4160 has a spacing of 4 in float16: codes 64 and 64.5 tie there.
    VectorQuantizer q = QuantizerFixtures.initialized(
        new VectorQuantizer(QuantizerFixtures.standard(2, 1)), manager);
    QuantizerFixtures.setCodebook(q, manager, new float[][] {{64f}, {64.5f}});
    NDArray z = manager.create(new float[][] {{64.5f}, {64.0f}}).toType(DataType.FLOAT16, false);
    z.setRequiresGradient(true);
    QuantizerOutput out;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      out = q.quantize(ps, z, true);
      gc.backward(out.quantized().sum());
    }
    assertArrayEquals(new long[] {1, 0}, out.indices().toLongArray());
    assertEquals(DataType.FLOAT16, out.quantized().getDataType());
    assertArrayEquals(new float[] {64.5f, 64f},
        out.quantized().toType(DataType.FLOAT32, false).toFloatArray(), 0f);
    // the straight-through gradient of sum(q) reaches the half-precision input
    assertEquals(DataType.FLOAT16, z.getGradient().getDataType());
    float[] grad = z.getGradient().toType(DataType.FLOAT32, false).toFloatArray();
    assertEquals(1f, grad[0], 1e-3f);
    assertEquals(1f, grad[1], 1e-3f);
    assertEquals(DataType.FLOAT32, q.codebook(ps).getDataType());
    // The same search in float16 cannot tell the codes apart (why the cast matters).
    try (NDArray e16 = q.codebook(ps).toType(DataType.FLOAT16, false)) {
      assertEquals(0, CodebookSearch.nearest(z.stopGradient(), e16, 0).getLong(0));
    }
  }

  @Test
  void emaStatisticsStayFloat32UnderFloat16Input() {
    EmaVectorQuantizer q = QuantizerFixtures.initialized(
        new EmaVectorQuantizer(QuantizerFixtures.ema(2, 1, true)), manager);
    QuantizerFixtures.setCodebook(q, manager, new float[][] {{64f}, {66f}});
    NDArray z = manager.create(new float[][] {{64.5f}, {65.5f}, {66.5f}})
        .toType(DataType.FLOAT16, false);
    q.quantize(ps, z, true);
    assertEquals(DataType.FLOAT32, q.embedSum(ps).getDataType());
    // gamma = 0.9, zero-debiased after one step: the moving sums are this step's sums exactly
    assertArrayEquals(new float[] {64.5f, 132f}, q.embedSum(ps).toFloatArray(), 1e-3f);
  }

  @Test
  void gridQuantizersComputeInFloat32ForFloat16Input() {
    float[][] rows = {{0.5f, -0.25f, 1.5f}, {-2f, 0.125f, 0.75f}};
    NDArray z32 = manager.create(rows);
    NDArray z16 = z32.toType(DataType.FLOAT16, false);
    GridQuantizer[] quantizers = {
        new FiniteScalarQuantizer(new FsqConfig(java.util.List.of(8, 5, 4), FsqScale.NONE, 1e-3)),
        new LookupFreeQuantizer(new LfqConfig(3, 0.25, 0.1, 1.0, 0.01, 0))};
    for (GridQuantizer q : quantizers) {
      q.initialize(manager, DataType.FLOAT16, new ai.djl.ndarray.types.Shape(1, 3));
      QuantizerOutput a = q.quantize(ps, z32, false);
      QuantizerOutput b = q.quantize(ps, z16, false);
      assertEquals(DataType.FLOAT16, b.quantized().getDataType());
      assertArrayEquals(a.indices().toLongArray(), b.indices().toLongArray(), q.toString());
      assertArrayEquals(a.quantized().toFloatArray(),
          b.quantized().toType(DataType.FLOAT32, false).toFloatArray(), 1e-2f, q.toString());
      assertEquals(DataType.FLOAT32, b.loss().getDataType());
    }
  }
}
