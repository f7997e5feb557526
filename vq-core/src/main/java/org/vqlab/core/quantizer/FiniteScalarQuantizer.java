package org.vqlab.core.quantizer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Finite scalar quantisation (Mentzer et al. 2023, "Finite Scalar Quantization: VQ-VAE Made
 * Simple"). Per channel with L levels, half_l = (L - 1)(1 - eps) / 2, offset = 0.5 for even L
 * (else 0) and shift = atanh(offset / half_l):
 *
 * <pre>
 *   bounded = tanh(z + shift) half_l - offset      (bounded(0) = 0; round gives L integers)
 *   q       = round(bounded) / floor(L / 2)         with the straight-through gradient
 *   digit   = round(bounded) + floor(L / 2)         in [0, L)
 * </pre>
 *
 * (the reference code uses tan for the shift; atanh is the value that makes bounded(0) = 0). There
 * is no codebook and no auxiliary loss. With {@code scale = data}, z first goes through a learned
 * per-channel (z - b) s, set on the first training batch to mean 0, std 1 per channel: an encoder
 * whose outputs have std 0.01 at initialisation would otherwise give bounded values within 0.04 of
 * 0 (of -0.5 for even L) and every vector would round to one code.
 */
public final class FiniteScalarQuantizer extends GridQuantizer {
  private final FsqScale scaleMode;
  private final float[] halfL;
  private final float[] offset;
  private final float[] shift;
  private final float[] halfWidth;
  private final Parameter scale;
  private final Parameter bias;
  private final Parameter initialized;
  private boolean hostInitialized;
  private boolean mirrored;

  public FiniteScalarQuantizer(FsqConfig config) {
    super(config.levels());
    this.scaleMode = config.scale();
    int d = levels.length;
    halfL = new float[d];
    offset = new float[d];
    shift = new float[d];
    halfWidth = new float[d];
    for (int c = 0; c < d; c++) {
      double h = (levels[c] - 1) * (1 - config.boundEpsilon()) / 2;
      double o = levels[c] % 2 == 0 ? 0.5 : 0.0;
      halfL[c] = (float) h;
      offset[c] = (float) o;
      // atanh(x) = 0.5 ln((1 + x) / (1 - x))
      shift[c] = (float) (0.5 * Math.log((1 + o / h) / (1 - o / h)));
      halfWidth[c] = levels[c] / 2;
    }
    if (scaleMode == FsqScale.DATA) {
      scale = addParameter(Parameter.builder().setName("scale").setType(Parameter.Type.WEIGHT)
          .optShape(new Shape(d)).optInitializer(new ConstantInitializer(1f)).build());
      bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
          .optShape(new Shape(d)).optInitializer(new ConstantInitializer(0f)).build());
      initialized = addParameter(AbstractVectorQuantizer.buffer("initialized", new Shape(1), 0f));
    } else {
      scale = null;
      bias = null;
      initialized = null;
    }
  }

  @Override
  protected Rows quantizeRows(ParameterStore parameters, NDArray z, boolean training) {
    NDManager m = z.getManager();
    Device device = z.getDevice();
    NDArray x = z;
    if (scaleMode == FsqScale.DATA) {
      if (training && !initialized()) {
        initializeScale(parameters, z.stopGradient());
      }
      NDArray s = parameters.getValue(scale, device, training);
      NDArray b = parameters.getValue(bias, device, training);
      x = z.sub(b).mul(s);
    }
    NDArray bounded = x.add(row(m, shift, device)).tanh().mul(row(m, halfL, device))
        .sub(row(m, offset, device));
    NDArray rounded = bounded.stopGradient().round();
    NDArray inverseWidth = row(m, inverse(halfWidth), device);
    // round(b) / w with the gradient of b / w: b / w + sg[(round(b) - b) / w]
    NDArray gap = rounded.sub(bounded.stopGradient());
    NDArray quantized = bounded.add(gap).mul(inverseWidth);
    NDArray digits = rounded.add(row(m, halfWidth, device));
    NDArray zero = m.zeros(new Shape(), DataType.FLOAT32, device);
    return new Rows(quantized, digits, zero, zero.duplicate(), zero.duplicate());
  }

  @Override
  protected NDArray values(NDArray digits) {
    NDManager m = digits.getManager();
    Device device = digits.getDevice();
    NDArray d = digits.toType(DataType.FLOAT32, false);
    return d.sub(row(m, halfWidth, device)).mul(row(m, inverse(halfWidth), device));
  }

  /** Sets the map to (z - mean) / std per channel of this batch (std floored at 1e-6). */
  private void initializeScale(ParameterStore parameters, NDArray z) {
    Device device = z.getDevice();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray mean = z.mean(new int[] {0});
      NDArray std = z.sub(mean).square().mean(new int[] {0}).sqrt().maximum(1e-6f);
      AbstractVectorQuantizer.assign(parameters.getValue(bias, device, true), mean);
      AbstractVectorQuantizer.assign(parameters.getValue(scale, device, true), std.pow(-1f));
      parameters.getValue(initialized, device, true).addi(1f);
    }
    hostInitialized = true;
  }

  private boolean initialized() {
    if (!mirrored) {
      hostInitialized = initialized.getArray().getFloat(0) > 0.5f;
      mirrored = true;
    }
    return hostInitialized;
  }

  /** A (D) constant in the step's manager: it outlives the backward pass that may read it. */
  private static NDArray row(NDManager manager, float[] values, Device device) {
    return manager.create(values).toDevice(device, false);
  }

  private static float[] inverse(float[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = 1f / values[i];
    }
    return out;
  }

  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    super.initialize(manager, dataType, inputShapes);
    mirrored = false;
  }

  @Override
  public void loadParameters(NDManager manager, DataInputStream is)
      throws IOException, MalformedModelException {
    super.loadParameters(manager, is);
    AbstractVectorQuantizer.restoreGradientFlags(this);
    mirrored = false;
  }
}
