package org.vqlab.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.AutoencoderOutput;

/**
 * What every model plugin must satisfy, on 8-bit random images of {@link #imageShape()} normalised
 * as {@link #normalization()}: {@code compute} gives the input's shape, a finite scalar loss and
 * finite scalar terms, and one int64 code grid per quantizer with codes in [0, K); in
 * evaluation those codes are {@code encodeCodes} and decoding them gives the reconstruction (the
 * round trip a prior's samples take); {@code logLikelihood} is (B) finite nats per image and
 * {@code <= 0} (a probability mass of discrete pixels, or a lower bound on one); every parameter
 * that requires gradient gets a finite non-zero gradient from the loss; a save/load round trip
 * gives identical outputs (random draws reseeded alike). A model with a continuous latent (no
 * quantizers) skips the checks of codes.
 *
 * <p>Extend it and build the model as its factory does, uninitialised, e.g. through
 * {@code new MyModelFactory().create(section, new ModelContext(imageShape, quantizerSection,
 * new Quantizers(PluginRegistry.load())))}; the kit initialises it for (B, C, H, W).
 */
public abstract class AutoencoderContract {
  protected NDManager manager;
  protected ParameterStore parameters;

  /** A new, uninitialised model for images of {@code imageShape} (C, H, W), alike every call. */
  protected abstract Autoencoder create(Shape imageShape);

  /** (C, H, W) of the test images; 1 x 16 x 16 by default. */
  protected Shape imageShape() {
    return new Shape(1, 16, 16);
  }

  /** How the test images' 8-bit values are normalised (the datasets' default). */
  protected PixelNormalization normalization() {
    return PixelNormalization.CENTERED;
  }

  protected int batchSize() {
    return 2;
  }

  @BeforeEach
  void openManager() {
    Engine.getInstance().setRandomSeed(31);
    manager = NDManager.newBaseManager();
    parameters = new ParameterStore(manager, false);
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  /** A fresh model from {@link #create}, initialised for (batch, C, H, W). */
  protected Autoencoder initialized() {
    Autoencoder model = create(imageShape());
    Shape s = imageShape();
    model.initialize(manager, DataType.FLOAT32, new Shape(batchSize(), s.get(0), s.get(1), s.get(2)));
    return model;
  }

  /** Random 8-bit images (batch, C, H, W), normalised. */
  protected NDArray images(long seed) {
    Shape s = new Shape(batchSize()).addAll(imageShape());
    Random random = new Random(seed);
    float[] values = new float[Math.toIntExact(s.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) normalization().toFloat(random.nextInt(256));
    }
    return manager.create(values, s);
  }

  @Test
  void computeGivesTheInputsShapeFiniteScalarsAndCodesInRange() {
    Autoencoder model = initialized();
    NDArray x = images(1);
    for (boolean training : new boolean[] {true, false}) {
      AutoencoderOutput out = model.compute(parameters, x, training);
      assertEquals(x.getShape(), out.reconstruction().getShape(), "reconstruction");
      assertEquals(1, out.loss().size(), "loss must be a scalar");
      assertTrue(Float.isFinite(out.loss().getFloat()), "loss " + out.loss().getFloat());
      for (Map.Entry<String, NDArray> term : out.terms().entrySet()) {
        assertEquals(1, term.getValue().size(), term.getKey() + " must be a scalar");
        double v = term.getValue().toType(DataType.FLOAT64, false).getDouble();
        assertTrue(Double.isFinite(v), term.getKey() + " = " + v);
      }
      assertEquals(model.quantizers().size(), out.codes().size(), "one code grid per quantizer");
      for (int l = 0; l < out.codes().size(); l++) {
        NDArray codes = out.codes().get(l);
        assertEquals(DataType.INT64, codes.getDataType(), "codes of level " + l);
        assertEquals(batchSize(), codes.getShape().get(0), "codes of level " + l);
        int k = model.quantizers().get(l).numCodes();
        for (long c : codes.toLongArray()) {
          assertTrue(c >= 0 && c < k, "code " + c + " of level " + l + " outside [0, " + k + ")");
        }
      }
    }
  }

  @Test
  void decodingTheEncodedCodesGivesTheReconstruction() {
    Autoencoder model = initialized();
    if (model.quantizers().isEmpty()) {
      assertTrue(model.encodeCodes(parameters, images(2)).isEmpty(),
          "a model without quantizers has no codes");
      return;
    }
    NDArray x = images(2);
    AutoencoderOutput out = model.compute(parameters, x, false);
    List<NDArray> codes = model.encodeCodes(parameters, x);
    assertEquals(out.codes().size(), codes.size());
    for (int l = 0; l < codes.size(); l++) {
      assertArrayEquals(out.codes().get(l).toLongArray(),
          codes.get(l).toType(DataType.INT64, false).toLongArray(), "codes of level " + l);
    }
    NDArray decoded = model.decodeCodes(parameters, new NDList(codes));
    assertEquals(x.getShape(), decoded.getShape());
    assertArrayEquals(out.reconstruction().toFloatArray(), decoded.toFloatArray(), 1e-5f,
        "decodeCodes(encodeCodes(x)) against compute(x).reconstruction");
  }

  @Test
  void logLikelihoodIsFiniteAndAtMostZeroNatsPerImage() {
    Autoencoder model = initialized();
    NDArray x = images(3);
    NDArray logp = model.logLikelihood(parameters, x, new NDList(model.encodeCodes(parameters, x)));
    assertEquals(new Shape(batchSize()), logp.getShape(), "logLikelihood must be (B)");
    for (float v : logp.toFloatArray()) {
      assertTrue(Float.isFinite(v) && v <= 0, "log p(x | codes) = " + v + " nats");
    }
  }

  @Test
  void everyTrainableParameterGetsAFiniteGradient() {
    Autoencoder model = initialized();
    NDArray x = images(4);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(model.compute(parameters, x, true).loss());
    }
    int trainable = 0;
    for (var p : model.getParameters()) {
      if (!p.getValue().requiresGradient()) {
        continue;
      }
      trainable++;
      float norm = p.getValue().getArray().getGradient().norm().getFloat();
      assertTrue(Float.isFinite(norm) && norm > 0, p.getKey() + " gradient norm " + norm);
    }
    assertTrue(trainable > 0, "no trainable parameters");
  }

  @Test
  void saveAndLoadGiveIdenticalOutputs() throws Exception {
    Autoencoder original = initialized();
    NDArray x = images(5);
    original.compute(parameters, x, true);
    Autoencoder loaded = initialized();
    SavedParameters.copy(original, loaded, manager);
    // A new store: a ParameterStore keeps the arrays it handed out before the load.
    ParameterStore fresh = new ParameterStore(manager, false);
    Engine.getInstance().setRandomSeed(37);
    AutoencoderOutput a = original.compute(parameters, x, false);
    NDArray la = original.logLikelihood(parameters, x, new NDList(a.codes()));
    Engine.getInstance().setRandomSeed(37);
    AutoencoderOutput b = loaded.compute(fresh, x, false);
    NDArray lb = loaded.logLikelihood(fresh, x, new NDList(b.codes()));
    assertArrayEquals(a.reconstruction().toFloatArray(), b.reconstruction().toFloatArray(), 0f);
    assertEquals(a.loss().getFloat(), b.loss().getFloat(), 0f, "loss");
    assertArrayEquals(la.toFloatArray(), lb.toFloatArray(), 0f, "logLikelihood");
    for (int l = 0; l < a.codes().size(); l++) {
      assertArrayEquals(a.codes().get(l).toLongArray(), b.codes().get(l).toLongArray(),
          "codes of level " + l);
    }
  }
}
