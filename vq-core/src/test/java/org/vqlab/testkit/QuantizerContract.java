package org.vqlab.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vqlab.core.quantizer.CodeLayout;
import org.vqlab.core.quantizer.Quantizer;
import org.vqlab.core.quantizer.QuantizerOutput;

/**
 * What every quantizer plugin must satisfy, checked on the plugin's own instances. A plugin gets
 * these tests by extending this class and returning a fresh, uninitialised quantizer from
 * {@link #create()} (what its {@code QuantizerFactory} returns), for example
 *
 * <pre>{@code
 * class FsqQuantizerContractTest extends QuantizerContract {
 *   protected Quantizer create() {
 *     return new FsqQuantizer(new FsqConfig(List.of(8, 5, 5)));
 *   }
 * }
 * }</pre>
 *
 * <p>The kit initialises each instance for (N, D) inputs, as a model does, and checks: the three
 * layouts keep every vector's position; indices are int64 in [0, K); {@code decode(indices)}
 * gives the quantized output; the gradient of the quantized output reaches every input vector
 * (exactly the identity for a straight-through estimator; see {@link #straightThroughIsIdentity});
 * losses and statistics are finite scalars, {@code codesUsed} is the number of distinct codes of
 * the batch and {@code perplexity} exp of the entropy of their histogram; evaluation leaves the
 * state unchanged; a save/load round trip gives identical parameters, outputs and next training
 * step. Inputs are N(0, 1) times {@link #inputScale()}. A multi-stage quantizer
 * ({@link Quantizer#stages()} > 1) is checked stage by stage on its indices' stage axis, with its
 * per-stage statistics (a stage that did not run, index -1, has perplexity and codes used 0).
 *
 * <p>Opting out: a test that does not apply to a plugin is turned off by overriding it without
 * {@code @Test} (JUnit 5 does not inherit the annotation), with a comment saying why.
 *
 * <p>Run with the test-jar on the test classpath ({@code org.vqlab:vq-core:<version>:test-jar},
 * scope test). In this repository a targeted run is
 * {@code mvn -o verify -pl <module> -am -Dtest='MyContractTest' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
public abstract class QuantizerContract {
  protected NDManager manager;
  protected ParameterStore parameters;

  /** A new, uninitialised quantizer; every call must give one of the same configuration. */
  protected abstract Quantizer create();

  /** The scale of the test inputs (the encoder outputs the quantizer sees); 1 by default. */
  protected double inputScale() {
    return 1.0;
  }

  /**
   * Whether d quantized / d z is exactly the identity (z + sg[q - z]); false for quantizers that
   * transform z before rounding (a bounded FSQ grid), which only need a gradient at every vector.
   */
  protected boolean straightThroughIsIdentity() {
    return true;
  }

  @BeforeEach
  void openManager() {
    Engine.getInstance().setRandomSeed(17);
    manager = NDManager.newBaseManager();
    parameters = new ParameterStore(manager, false);
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  /** A fresh quantizer from {@link #create()}, initialised for (N, D) inputs. */
  protected Quantizer initialized() {
    Quantizer q = create();
    q.initialize(manager, DataType.FLOAT32, new Shape(1, q.codeDim()));
    return q;
  }

  /** N(0, scale^2) inputs of {@code shape}. */
  protected NDArray input(Shape shape) {
    NDArray z = manager.randomNormal(shape);
    return inputScale() == 1.0 ? z : z.mul(manager.create((float) inputScale()));
  }

  private static List<Shape> layouts(int d) {
    return List.of(new Shape(24, d), new Shape(2, d, 3, 4), new Shape(2, d, 2, 3, 2));
  }

  @Test
  void everyLayoutKeepsTheVectorsPositionsAndGivesIndicesInRange() {
    Quantizer q = initialized();
    int d = q.codeDim();
    assertTrue(q.numCodes() > 0 && d > 0, "numCodes " + q.numCodes() + ", codeDim " + d);
    for (Shape shape : layouts(d)) {
      NDArray z = input(shape);
      CodeLayout layout = CodeLayout.of(z, d);
      QuantizerOutput out = q.quantize(parameters, z, false);
      assertEquals(shape, out.quantized().getShape(), "quantized of " + shape);
      Shape expected = layout.indexShape();
      if (q.stages() > 1) {
        expected = expected.slice(0, 1).add(q.stages()).addAll(expected.slice(1));
      }
      assertEquals(expected, out.indices().getShape(), "indices of " + shape);
      assertEquals(DataType.INT64, out.indices().getDataType(), "indices of " + shape);
      for (long i : out.indices().toLongArray()) {
        assertTrue(i >= 0 && i < q.numCodes(), "index " + i + " outside [0, " + q.numCodes() + ")");
      }
      // The same vectors as rows (N, D): the same codes and vectors, position by position.
      QuantizerOutput flat = q.quantize(parameters, layout.flatten(z), false);
      List<long[]> stages = stageIndices(out, shape.dimension());
      List<long[]> flatStages = stageIndices(flat, 2);
      for (int s = 0; s < stages.size(); s++) {
        assertArrayEquals(flatStages.get(s), stages.get(s), "indices of " + shape + " as rows");
      }
      assertArrayEquals(flat.quantized().toFloatArray(),
          layout.flatten(out.quantized()).toFloatArray(), 1e-6f, "vectors of " + shape + " as rows");
    }
  }

  @Test
  void decodeOfTheIndicesIsTheQuantizedOutput() {
    Quantizer q = initialized();
    for (Shape shape : layouts(q.codeDim())) {
      QuantizerOutput out = q.quantize(parameters, input(shape), false);
      NDArray decoded = q.decode(parameters, out.indices());
      assertEquals(shape, decoded.getShape());
      assertArrayEquals(out.quantized().toFloatArray(), decoded.toFloatArray(), 1e-5f,
          "decode(indices) of " + shape);
    }
  }

  @Test
  void gradientOfTheQuantizedOutputReachesEveryInputVector() {
    Quantizer q = initialized();
    Shape shape = new Shape(2, q.codeDim(), 3, 4);
    NDArray z = input(shape);
    z.setRequiresGradient(true);
    NDArray weights = manager.randomUniform(0.5f, 1.5f, shape);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray quantized = q.quantize(parameters, z, true).quantized();
      gc.backward(quantized.mul(weights).sum());
    }
    float[] grad = z.getGradient().toFloatArray();
    float[] w = weights.toFloatArray();
    if (straightThroughIsIdentity()) {
      assertArrayEquals(w, grad, 1e-5f, "d sum(w * quantized) / d z must be w (straight through)");
    }
    float[] norms = CodeLayout.of(z, q.codeDim()).flatten(z.getGradient().abs())
        .sum(new int[] {1}).toFloatArray();
    for (int i = 0; i < norms.length; i++) {
      assertTrue(Float.isFinite(norms[i]) && norms[i] > 0,
          "no gradient reaches input vector " + i + " (|grad| = " + norms[i] + ")");
    }
    for (float g : grad) {
      assertTrue(Float.isFinite(g), "gradient " + g);
    }
  }

  @Test
  void lossesAndStatisticsAreFiniteScalarsThatDescribeTheBatch() {
    Quantizer q = initialized();
    NDArray z = input(new Shape(64, q.codeDim()));
    for (boolean training : new boolean[] {true, false}) {
      QuantizerOutput out = q.quantize(parameters, z, training);
      Map<String, NDArray> scalars = Map.of("loss", out.loss(), "codebookLoss", out.codebookLoss(),
          "commitmentLoss", out.commitmentLoss(), "perplexity", out.perplexity(),
          "codesUsed", out.codesUsed());
      List<long[]> stages = stageIndices(out, 2);
      for (Map.Entry<String, NDArray> e : scalars.entrySet()) {
        boolean perStage = stages.size() > 1 && e.getKey().matches("perplexity|codesUsed");
        assertEquals(perStage ? stages.size() : 1, e.getValue().size(),
            e.getKey() + " must be a scalar" + (stages.size() > 1 ? " or one per stage" : ""));
        for (double v : e.getValue().toType(DataType.FLOAT64, false).toDoubleArray()) {
          assertTrue(Double.isFinite(v), e.getKey() + " = " + v + " (training " + training + ")");
        }
      }
      double[] used = out.codesUsed().toType(DataType.FLOAT64, false).toDoubleArray();
      double[] perplexity = out.perplexity().toType(DataType.FLOAT64, false).toDoubleArray();
      for (int s = 0; s < stages.size(); s++) {
        long[] indices = stages.get(s);
        Map<Long, Integer> histogram = new HashMap<>();
        for (long i : indices) {
          histogram.merge(i, 1, Integer::sum);
        }
        if (stages.size() > 1 && histogram.keySet().equals(java.util.Set.of(-1L))) {
          assertEquals(0, used[s], "codesUsed of stage " + s + ", which did not run");
          assertEquals(0, perplexity[s], "perplexity of stage " + s + ", which did not run");
          continue;
        }
        double entropy = 0;
        for (int count : histogram.values()) {
          double p = (double) count / indices.length;
          entropy -= p * Math.log(p);
        }
        assertEquals(histogram.size(), used[s], 1e-6, "codesUsed: distinct codes of the batch");
        assertEquals(Math.exp(entropy), perplexity[s], 1e-3 * Math.exp(entropy),
            "perplexity: exp(entropy of the batch's code histogram)");
      }
    }
  }

  /**
   * Each stage's codes in the layout's position order: the indices alone, or one entry per stage
   * when they have a stage axis (rank = the input's {@code inputRank} instead of one less).
   */
  protected static List<long[]> stageIndices(QuantizerOutput out, int inputRank) {
    NDArray indices = out.indices();
    if (indices.getShape().dimension() == inputRank - 1) {
      return List.of(indices.toLongArray());
    }
    List<long[]> stages = new java.util.ArrayList<>();
    for (long s = 0; s < indices.getShape().get(1); s++) {
      stages.add(indices.get(new ai.djl.ndarray.index.NDIndex(":, {}", s)).toLongArray());
    }
    return stages;
  }

  @Test
  void evaluationLeavesTheStateUnchanged() {
    Quantizer q = initialized();
    q.quantize(parameters, input(new Shape(32, q.codeDim())), true);
    Map<String, float[]> before = snapshot(q);
    q.quantize(parameters, input(new Shape(32, q.codeDim())), false);
    q.decode(parameters, manager.create(new long[] {0, q.numCodes() - 1}));
    Map<String, float[]> after = snapshot(q);
    for (String name : before.keySet()) {
      assertArrayEquals(before.get(name), after.get(name), 0f, name + " changed in evaluation");
    }
  }

  @Test
  void saveAndLoadGiveIdenticalOutputsAndAnIdenticalNextTrainingStep() throws Exception {
    Quantizer original = initialized();
    NDArray train = input(new Shape(2, original.codeDim(), 4, 4));
    original.quantize(parameters, train, true);
    original.quantize(parameters, train.mul(manager.create(0.5f)), true);
    Quantizer loaded = initialized();
    SavedParameters.copy(original, loaded, manager);

    Map<String, float[]> a = snapshot(original);
    Map<String, float[]> b = snapshot(loaded);
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name), b.get(name), 0f, name);
      assertEquals(original.getParameters().get(name).requiresGradient(),
          loaded.getParameters().get(name).requiresGradient(), name + " requiresGradient");
    }
    assertEquals(original.restarts(), loaded.restarts(), "restarts");

    NDArray test = input(new Shape(2, original.codeDim(), 3, 3));
    QuantizerOutput x = original.quantize(parameters, test, false);
    QuantizerOutput y = loaded.quantize(parameters, test, false);
    assertArrayEquals(x.indices().toLongArray(), y.indices().toLongArray());
    assertArrayEquals(x.quantized().toFloatArray(), y.quantized().toFloatArray(), 0f);
    assertEquals(x.loss().getFloat(), y.loss().getFloat(), 0f);

    // The next training step: the same state updates and the same gradients.
    // Reseeded, so random restarts of dead codes draw the same values for both.
    Engine.getInstance().setRandomSeed(23);
    Map<String, float[]> gradA = trainingStep(original, test);
    Engine.getInstance().setRandomSeed(23);
    Map<String, float[]> gradB = trainingStep(loaded, test);
    Map<String, float[]> stateA = snapshot(original);
    Map<String, float[]> stateB = snapshot(loaded);
    for (String name : stateA.keySet()) {
      assertArrayEquals(stateA.get(name), stateB.get(name), 0f, name + " after the next step");
    }
    assertEquals(gradA.keySet(), gradB.keySet());
    for (String name : gradA.keySet()) {
      assertArrayEquals(gradA.get(name), gradB.get(name), 0f, "gradient of " + name);
    }
  }

  /** One training pass with backward of the loss plus a fixed function of the output. */
  private Map<String, float[]> trainingStep(Quantizer q, NDArray z) {
    NDArray input = z.duplicate();
    input.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      QuantizerOutput out = q.quantize(parameters, input, true);
      gc.backward(out.loss().add(out.quantized().square().mean()));
    }
    Map<String, float[]> grads = new HashMap<>();
    grads.put("input", input.getGradient().toFloatArray());
    for (var p : q.getParameters()) {
      if (p.getValue().requiresGradient()) {
        grads.put(p.getKey(), p.getValue().getArray().getGradient().toFloatArray());
      }
    }
    return grads;
  }

  private static Map<String, float[]> snapshot(Quantizer q) {
    Map<String, float[]> values = new HashMap<>();
    for (var p : q.getParameters()) {
      Parameter parameter = p.getValue();
      values.put(p.getKey(), parameter.getArray().toType(DataType.FLOAT32, false).toFloatArray());
    }
    return values;
  }
}
