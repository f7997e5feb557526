package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** Small helpers for the quantizer tests: configs with everything off, codebook setters. */
final class QuantizerFixtures {
  private QuantizerFixtures() {}

  static StandardQuantizerConfig standard(int k, int d) {
    return new StandardQuantizerConfig(k, d, 0.25, CodebookInit.UNIFORM, 0, CodeDistance.L2, 0,
        0.99, 0);
  }

  static EmaQuantizerConfig ema(int k, int d, boolean zeroDebias) {
    return new EmaQuantizerConfig(k, d, 0.25, 0.9, 1e-5, zeroDebias, CodebookInit.UNIFORM, 0,
        CodeDistance.L2, 0, 0);
  }

  static <Q extends AbstractVectorQuantizer> Q initialized(Q quantizer, NDManager manager) {
    quantizer.initialize(manager, DataType.FLOAT32, new Shape(1, quantizer.codeDim()));
    return quantizer;
  }

  /** Overwrites the codebook (keeping its gradient flag), and for EMA without debiasing, m = e. */
  static void setCodebook(AbstractVectorQuantizer quantizer, NDManager manager, float[][] rows) {
    NDArray value = manager.create(rows);
    AbstractVectorQuantizer.assign(quantizer.codebook.getArray(), value);
    if (quantizer instanceof EmaVectorQuantizer ema) {
      ema.onCodebookInitialized(new ParameterStore(manager, false), quantizer.codebook.getArray());
    }
  }

  static double[][] toRows(NDArray a) {
    int rows = (int) a.getShape().get(0);
    int cols = (int) a.getShape().get(1);
    float[] flat = a.toType(DataType.FLOAT32, false).toFloatArray();
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i][j] = flat[i * cols + j];
      }
    }
    return out;
  }
}
