package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The standard quantizer against values computed by hand on K = 3, D = 2. */
class VectorQuantizerTest {
  private static final float[][] CODEBOOK = {{0, 0}, {1, 0}, {0, 2}};
  private static final float[][] Z = {{0.9f, 0.1f}, {0.2f, 1.5f}, {-0.3f, -0.1f}, {0.4f, 0.3f}};
  private static final double TOL = 1e-6;

  private NDManager manager;
  private ParameterStore ps;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(7);
    manager = NDManager.newBaseManager();
    ps = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private VectorQuantizer quantizer() {
    VectorQuantizer q = QuantizerFixtures.initialized(
        new VectorQuantizer(QuantizerFixtures.standard(3, 2)), manager);
    QuantizerFixtures.setCodebook(q, manager, CODEBOOK);
    return q;
  }

  @Test
  void distancesAreSquaredEuclidean() {
    double[][] d = QuantizerFixtures.toRows(
        CodebookSearch.distances(manager.create(Z), manager.create(CODEBOOK)));
    // Worked by hand: rows z_i, columns e_k.
    double[][] expected = {{0.82, 0.02, 4.42}, {2.29, 2.89, 0.29}, {0.10, 1.70, 4.50},
        {0.25, 0.45, 3.05}};
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(expected[i], d[i], TOL, "row " + i);
    }
  }

  @Test
  void indicesLossesAndStatisticsMatchHandValues() {
    VectorQuantizer q = quantizer();
    QuantizerOutput out = q.quantize(ps, manager.create(Z), false);
    assertArrayEquals(new long[] {1, 2, 0, 0}, out.indices().toLongArray());
    assertArrayEquals(new float[] {1, 0, 0, 2, 0, 0, 0, 0}, out.quantized().toFloatArray(), 1e-6f);
    // sum of squared residuals 0.02 + 0.29 + 0.10 + 0.25 = 0.66 over N*D = 8 elements
    assertEquals(0.0825, out.codebookLoss().getFloat(), TOL);
    assertEquals(0.25 * 0.0825, out.commitmentLoss().getFloat(), TOL);
    assertEquals(1.25 * 0.0825, out.loss().getFloat(), TOL);
    // counts (2, 1, 1): perplexity exp(H) with H = 1.5 ln 2
    assertEquals(Math.exp(1.5 * Math.log(2)), out.perplexity().getFloat(), 1e-5);
    assertEquals(3L, out.codesUsed().getLong());
  }

  @Test
  void straightThroughAndCodebookGradients() {
    VectorQuantizer q = quantizer();
    NDArray z = manager.create(Z);
    z.setRequiresGradient(true);
    float[] w = {0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f, 3f, -2f};
    NDArray weights = manager.create(w, new Shape(4, 2));
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      QuantizerOutput out = q.quantize(ps, z, true);
      gc.backward(out.quantized().mul(weights).sum().add(out.loss()));
    }
    float[] gz = z.getGradient().toFloatArray();
    float[] zq = {-0.1f, 0.1f, 0.2f, -0.5f, -0.3f, -0.1f, 0.4f, 0.3f}; // z - q
    for (int i = 0; i < 8; i++) {
      // decoder's gradient unchanged + d(commitment)/dz = beta * 2 (z - q) / 8
      assertEquals(w[i] + 0.25 * 2 * zq[i] / 8, gz[i], TOL, "dz[" + i + "]");
    }
    float[] ge = q.codebook(ps).getGradient().toFloatArray();
    // d(codebook loss)/de_k = sum_{i -> k} 2 (e_k - z_i) / 8, nothing from the decoder
    assertArrayEquals(new float[] {-0.025f, -0.05f, 0.025f, -0.025f, -0.05f, 0.125f}, ge, 1e-6f);
  }

  @Test
  void codebookGradientIsExactlyTheCodebookLossGradient() {
    float[] full = codebookGradient(true);
    float[] codebookOnly = codebookGradient(false);
    assertArrayEquals(codebookOnly, full, 0f);
  }

  private float[] codebookGradient(boolean everything) {
    VectorQuantizer q = quantizer();
    NDArray z = manager.create(Z);
    z.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      QuantizerOutput out = q.quantize(ps, z, false);
      NDArray objective = everything
          ? out.quantized().square().sum().add(out.loss()).add(out.commitmentLoss().mul(3))
          : out.codebookLoss();
      gc.backward(objective);
    }
    return q.codebook(ps).getGradient().toFloatArray();
  }


  @Test
  void cosineDistanceNormalisesInputsAndCodes() {
    VectorQuantizer q = QuantizerFixtures.initialized(new VectorQuantizer(
        new StandardQuantizerConfig(2, 2, 0.25, CodebookInit.UNIFORM, 0, CodeDistance.COSINE, 0,
            0.99, 0)), manager);
    QuantizerFixtures.setCodebook(q, manager, new float[][] {{10, 0}, {0, 0.1f}});
    // (0.3, 0.4) is nearer (10, 0) in L2 but nearer (0, 1) in angle.
    QuantizerOutput out = q.quantize(ps, manager.create(new float[][] {{0.3f, 0.4f}}), false);
    assertEquals(1L, out.indices().getLong(0));
    assertArrayEquals(new float[] {0f, 1f}, out.quantized().toFloatArray(), 1e-6f);
    // |(0.6, 0.8) - (0, 1)|^2 / 2
    assertEquals((0.36 + 0.04) / 2, out.codebookLoss().getFloat(), TOL);
  }

  @Test
  void parametersAndBuffersRequireGradientAsDocumented() {
    VectorQuantizer q = quantizer();
    assertTrue(q.getParameters().get("codebook").requiresGradient());
    for (String buffer : new String[] {"usage", "step", "restarts", "initialized"}) {
      assertFalse(q.getParameters().get(buffer).requiresGradient(), buffer);
    }
  }
}
