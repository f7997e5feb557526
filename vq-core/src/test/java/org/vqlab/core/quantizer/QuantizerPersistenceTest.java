package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the save/load round trip of {@code QuantizerContract} does not see: a loaded standard
 * codebook still takes gradient.
 */
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
