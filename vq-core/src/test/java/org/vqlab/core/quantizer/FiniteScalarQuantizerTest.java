package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FSQ against its closed form on a hand grid: levels [3, 4] (one odd, one even channel). */
class FiniteScalarQuantizerTest {
  private static final double EPS = 1e-3;
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

  private FiniteScalarQuantizer fsq(FsqScale scale, Integer... levels) {
    FiniteScalarQuantizer q = new FiniteScalarQuantizer(new FsqConfig(List.of(levels), scale, EPS));
    q.initialize(manager, DataType.FLOAT32, new Shape(1, levels.length));
    return q;
  }

  /** The paper's bound for one channel, in plain Java. */
  private static double bounded(double z, int levels) {
    double h = (levels - 1) * (1 - EPS) / 2;
    double o = levels % 2 == 0 ? 0.5 : 0;
    double shift = 0.5 * Math.log((1 + o / h) / (1 - o / h));
    return Math.tanh(z + shift) * h - o;
  }

  @Test
  void indicesAndValuesMatchTheClosedForm() {
    FiniteScalarQuantizer q = fsq(FsqScale.NONE, 3, 4);
    assertEquals(12, q.numCodes());
    assertEquals(2, q.codeDim());
    float[][] rows = {{0f, 0f}, {-3f, -3f}, {3f, 3f}, {0.4f, 0.2f}, {-0.6f, 0.9f}, {1.2f, -0.35f}};
    NDArray z = manager.create(rows);
    QuantizerOutput out = q.quantize(ps, z, false);
    long[] indices = out.indices().toLongArray();
    float[] values = out.quantized().toFloatArray();
    int[] levels = {3, 4};
    for (int n = 0; n < rows.length; n++) {
      long index = 0;
      long radix = 1;
      for (int c = 0; c < 2; c++) {
        long r = Math.round(bounded(rows[n][c], levels[c]));
        int half = levels[c] / 2;
        assertEquals((double) r / half, values[n * 2 + c], 1e-6, "row " + n + " channel " + c);
        index += (r + half) * radix;
        radix *= levels[c];
      }
      assertEquals(index, indices[n], "row " + n);
    }
    // The hand values: z = 0 is the centre (0, 0) -> digits (1, 2) -> index 1 + 3 * 2 = 7; the
    // extremes are the grid's corners (-1, -1) -> 0 and (1, 0.5) -> 2 + 3 * 3 = 11.
    assertEquals(7, indices[0]);
    assertEquals(0, indices[1]);
    assertEquals(11, indices[2]);
    assertArrayEquals(new float[] {-1f, -1f}, new float[] {values[2], values[3]});
    assertArrayEquals(new float[] {1f, 0.5f}, new float[] {values[4], values[5]});
  }

  @Test
  void theGridIsEveryCodeInMixedRadixOrder() {
    FiniteScalarQuantizer q = fsq(FsqScale.NONE, 3, 4);
    double[][] grid = QuantizerFixtures.toRows(q.codebook(ps));
    assertEquals(12, grid.length);
    for (int k = 0; k < 12; k++) {
      assertEquals((k % 3 - 1) / 1.0, grid[k][0], 1e-6, "code " + k);
      assertEquals((k / 3 - 2) / 2.0, grid[k][1], 1e-6, "code " + k);
    }
  }

  @Test
  void straightThroughGradientIsTheBoundsDerivative() {
    FiniteScalarQuantizer q = fsq(FsqScale.NONE, 3, 4);
    float[][] rows = {{0.4f, 0.2f}, {-0.6f, 0.9f}};
    float[][] g = {{1.5f, -2f}, {0.5f, 3f}};
    NDArray z = manager.create(rows);
    z.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(q.quantize(ps, z, true).quantized().mul(manager.create(g)).sum());
    }
    float[] grad = z.getGradient().toFloatArray();
    int[] levels = {3, 4};
    for (int n = 0; n < 2; n++) {
      for (int c = 0; c < 2; c++) {
        double h = (levels[c] - 1) * (1 - EPS) / 2;
        double o = levels[c] % 2 == 0 ? 0.5 : 0;
        double t = Math.tanh(rows[n][c] + 0.5 * Math.log((1 + o / h) / (1 - o / h)));
        double expected = g[n][c] * (1 - t * t) * h / (levels[c] / 2);
        assertEquals(expected, grad[n * 2 + c], 1e-5, "row " + n + " channel " + c);
      }
    }
  }

  @Test
  void dataScaleNormalisesTheFirstTrainingBatchAndIsSaved() throws Exception {
    FiniteScalarQuantizer q = fsq(FsqScale.DATA, 8, 8, 8);
    Engine.getInstance().setRandomSeed(3);
    // An encoder output at initialisation: std 0.01 around a small offset.
    NDArray z = manager.randomNormal(0f, 0.01f, new Shape(512, 3), DataType.FLOAT32).add(0.003f);
    QuantizerOutput faithful = fsq(FsqScale.NONE, 8, 8, 8).quantize(ps, z, false);
    // The paper's FSQ rounds (almost) every row to one code ...
    assertEquals(true, faithful.codesUsed().getLong() <= 8, "faithful FSQ used "
        + faithful.codesUsed().getLong());
    QuantizerOutput first = q.quantize(ps, z, true);
    // ... with the data scale the batch is spread over many of the 512.
    assertEquals(true, first.codesUsed().getLong() > 200, "used " + first.codesUsed().getLong());
    float[] scale = q.getParameters().get("scale").getArray().toFloatArray();
    float[] bias = q.getParameters().get("bias").getArray().toFloatArray();
    NDArray mean = z.mean(new int[] {0});
    NDArray std = z.sub(mean).square().mean(new int[] {0}).sqrt();
    assertArrayEquals(mean.toFloatArray(), bias, 1e-6f);
    assertArrayEquals(std.pow(-1f).toFloatArray(), scale, 1e-2f);
    // A second batch does not reset the map.
    q.quantize(ps, z.mul(5f), true);
    assertArrayEquals(scale, q.getParameters().get("scale").getArray().toFloatArray(), 0f);
  }

  @Test
  void badLevelsNameTheKey() {
    IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
        () -> new FsqConfig(List.of(8, 1), FsqScale.DATA, 1e-3));
    assertEquals("levels entries must be >= 2, got [8, 1]", small.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new FsqConfig(List.of(), FsqScale.DATA, 1e-3));
    assertThrows(IllegalArgumentException.class,
        () -> new FsqConfig(List.of(8, 8, 8), FsqScale.DATA, 1.0));
  }
}
