package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Save then load gives the same codebook, buffers and outputs, and k-means does not rerun. */
class QuantizerPersistenceTest {
  private NDManager manager;
  private ParameterStore ps;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(5);
    manager = NDManager.newBaseManager();
    ps = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private void roundTrip(Supplier<AbstractVectorQuantizer> factory) throws Exception {
    NDArray train = manager.randomNormal(new Shape(4, 4, 6, 6));
    NDArray test = manager.randomNormal(new Shape(2, 4, 5, 5));
    AbstractVectorQuantizer original = QuantizerFixtures.initialized(factory.get(), manager);
    original.quantize(ps, train, true);
    original.quantize(ps, train.mul(0.5), true);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    original.saveParameters(new DataOutputStream(bytes));
    AbstractVectorQuantizer loaded = QuantizerFixtures.initialized(factory.get(), manager);
    loaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

    for (String name : original.getParameters().keys()) {
      Parameter a = original.getParameters().get(name);
      Parameter b = loaded.getParameters().get(name);
      assertArrayEquals(a.getArray().toFloatArray(), b.getArray().toFloatArray(), 0f, name);
      assertEquals(a.requiresGradient(), b.requiresGradient(), name);
    }
    assertEquals(2, loaded.steps());
    assertEquals(original.restarts(), loaded.restarts());
    QuantizerOutput x = original.quantize(ps, test, false);
    QuantizerOutput y = loaded.quantize(ps, test, false);
    assertArrayEquals(x.indices().toLongArray(), y.indices().toLongArray());
    assertArrayEquals(x.quantized().toFloatArray(), y.quantized().toFloatArray(), 0f);
    assertEquals(x.loss().getFloat(), y.loss().getFloat(), 0f);

    // A further training step continues identically (no second k-means on the loaded copy).
    original.quantize(ps, test, true);
    loaded.quantize(ps, test, true);
    assertArrayEquals(original.codebook(ps).toFloatArray(), loaded.codebook(ps).toFloatArray(), 0f);
  }

  @Test
  void emaStateRoundTrips() throws Exception {
    roundTrip(() -> new EmaVectorQuantizer(new EmaQuantizerConfig(16, 4, 0.25, 0.9, 1e-5, true,
        CodebookInit.KMEANS, 3, CodeDistance.L2, 0, 0)));
  }

  @Test
  void standardStateRoundTrips() throws Exception {
    roundTrip(() -> new VectorQuantizer(new StandardQuantizerConfig(16, 4, 0.25,
        CodebookInit.KMEANS, 3, CodeDistance.L2, 0, 0.9, 0)));
  }

  @Test
  void loadedStandardCodebookStillTakesGradient() throws Exception {
    VectorQuantizer original = QuantizerFixtures.initialized(
        new VectorQuantizer(QuantizerFixtures.standard(8, 2)), manager);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    original.saveParameters(new DataOutputStream(bytes));
    VectorQuantizer loaded = QuantizerFixtures.initialized(
        new VectorQuantizer(QuantizerFixtures.standard(8, 2)), manager);
    loaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertTrue(loaded.codebook(ps).hasGradient());
  }
}
