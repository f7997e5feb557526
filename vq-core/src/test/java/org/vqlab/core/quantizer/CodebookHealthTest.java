package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** k-means initialisation, dead-code restarts and chunked search. */
class CodebookHealthTest {
  private NDManager manager;
  private ParameterStore ps;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(3);
    manager = NDManager.newBaseManager();
    ps = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  /** 16 well separated clusters in 8 dimensions, 128 points each, noise sd 0.1. */
  private NDArray clusteredData() {
    NDArray centres = manager.randomNormal(0, 3, new Shape(16, 8), ai.djl.ndarray.types.DataType.FLOAT32);
    NDArray which = manager.arange(0, 2048).toType(ai.djl.ndarray.types.DataType.INT64, false).mod(16);
    NDArray noise = manager.randomNormal(0, 0.1f, new Shape(2048, 8), ai.djl.ndarray.types.DataType.FLOAT32);
    return centres.get(new ai.djl.ndarray.index.NDIndex("{}", which)).add(noise);
  }

  private double quantisationError(CodebookInit init, NDArray data) {
    VectorQuantizer q = QuantizerFixtures.initialized(new VectorQuantizer(
        new StandardQuantizerConfig(16, 8, 0.25, init, 10, CodeDistance.L2, 0, 0.99, 0)), manager);
    q.quantize(ps, data, true); // k-means runs on the first training batch
    return q.quantize(ps, data, false).codebookLoss().getFloat();
  }

  @Test
  void kmeansInitLowersQuantisationErrorAgainstRandomInit() {
    NDArray data = clusteredData();
    double kmeans = quantisationError(CodebookInit.KMEANS, data);
    double uniform = quantisationError(CodebookInit.UNIFORM, data);
    double normal = quantisationError(CodebookInit.NORMAL, data);
    // Per-element noise variance is 0.01: k-means finds the clusters, random codes do not.
    assertTrue(kmeans < 0.05, "k-means error " + kmeans);
    assertTrue(kmeans < 0.1 * uniform, kmeans + " vs uniform " + uniform);
    assertTrue(kmeans < 0.1 * normal, kmeans + " vs normal " + normal);
  }

  private static final float[][] CODEBOOK = {{0, 0}, {1, 0}, {0, 1}, {50, 50}};

  private NDArray dataNearFirstThreeCodes() {
    NDArray base = manager.create(new float[][] {{0, 0}, {1, 0}, {0, 1}});
    NDArray which = manager.arange(0, 60).toType(ai.djl.ndarray.types.DataType.INT64, false).mod(3);
    return base.get(new ai.djl.ndarray.index.NDIndex("{}", which))
        .add(manager.randomNormal(0, 0.05f, new Shape(60, 2), ai.djl.ndarray.types.DataType.FLOAT32));
  }

  private static void assertIsARowOf(float[] code, NDArray data) {
    double[][] rows = QuantizerFixtures.toRows(data);
    for (double[] row : rows) {
      if (Math.abs(row[0] - code[0]) < 1e-6 && Math.abs(row[1] - code[1]) < 1e-6) {
        return;
      }
    }
    throw new AssertionError("restarted code " + code[0] + "," + code[1] + " is not an input row");
  }

  @Test
  void standardRestartBringsADeadCodeBackIntoUse() {
    VectorQuantizer q = QuantizerFixtures.initialized(new VectorQuantizer(
        new StandardQuantizerConfig(4, 2, 0.25, CodebookInit.UNIFORM, 0, CodeDistance.L2, 0.5, 0.5,
            0)), manager);
    QuantizerFixtures.setCodebook(q, manager, CODEBOOK);
    NDArray data = dataNearFirstThreeCodes();
    QuantizerOutput first = q.quantize(ps, data, true);
    assertEquals(3L, first.codesUsed().getLong());
    assertEquals(0, q.restarts());
    QuantizerOutput second = q.quantize(ps, data, true);
    assertEquals(1, q.restarts());
    assertEquals(4L, second.codesUsed().getLong());
    assertIsARowOf(q.codebook(ps).get(3).toFloatArray(), data);
    assertArrayEquals(new float[] {0, 0, 1, 0, 0, 1},
        q.codebook(ps).get("0:3").toFloatArray(), 0f, "live codes untouched");
  }

  @Test
  void emaRestartBringsADeadCodeBackIntoUse() {
    EmaVectorQuantizer q = QuantizerFixtures.initialized(new EmaVectorQuantizer(
        new EmaQuantizerConfig(4, 2, 0.25, 0.99, 1e-5, true, CodebookInit.UNIFORM, 0,
            CodeDistance.L2, 0.5, 0)), manager);
    QuantizerFixtures.setCodebook(q, manager, CODEBOOK);
    NDArray data = dataNearFirstThreeCodes();
    QuantizerOutput first = q.quantize(ps, data, true);
    assertEquals(3L, first.codesUsed().getLong());
    assertEquals(1, q.restarts());
    assertIsARowOf(q.codebook(ps).get(3).toFloatArray(), data);
    // The restarted code's moving count is set to the threshold.
    assertEquals(0.5, q.clusterSize(ps).getFloat(3), 1e-6);
    QuantizerOutput second = q.quantize(ps, data, true);
    assertEquals(4L, second.codesUsed().getLong());
  }

  @Test
  void chunkedSearchGivesTheSameIndicesAsUnchunked() {
    NDArray z = manager.randomNormal(new Shape(3000, 16));
    NDArray codebook = manager.randomNormal(new Shape(4096, 16));
    long[] whole = CodebookSearch.nearest(z, codebook, 0).toLongArray();
    for (int chunk : new int[] {256, 1000}) {
      assertArrayEquals(whole, CodebookSearch.nearest(z, codebook, chunk).toLongArray(),
          "chunk " + chunk);
    }
    // and the argmin is the argmin of the full distance matrix
    assertArrayEquals(CodebookSearch.distances(z, codebook).argMin(1).toLongArray(), whole);
  }

  @Test
  void countsAndSumsMatchALoopOverRows() {
    NDArray z = manager.randomNormal(new Shape(500, 3));
    NDArray idx = manager.randomInteger(0, 7, new Shape(500), ai.djl.ndarray.types.DataType.INT64);
    NDArray counts = CodeHistogram.counts(idx, 9);
    NDArray sums = CodebookSearch.sums(z, idx, counts);
    long[] i = idx.toLongArray();
    double[][] rows = QuantizerFixtures.toRows(z);
    long[] expectedCounts = new long[9];
    double[][] expectedSums = new double[9][3];
    for (int r = 0; r < i.length; r++) {
      expectedCounts[(int) i[r]]++;
      for (int j = 0; j < 3; j++) {
        expectedSums[(int) i[r]][j] += rows[r][j];
      }
    }
    assertArrayEquals(expectedCounts, counts.toLongArray());
    double[][] actual = QuantizerFixtures.toRows(sums);
    for (int k = 0; k < 9; k++) {
      assertArrayEquals(expectedSums[k], actual[k], 1e-5, "code " + k);
    }
  }
}
