package org.vqlab.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Map;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.AutoencoderOutput;
import org.vqlab.core.quantizer.Quantizer;

/**
 * An autoencoder whose every number is known in closed form, for checking metric code: its decoder
 * is a categorical over the 256 pixel values with equal logits (so log p(x | z) = -D ln 256), its
 * one level of codes is the 8-bit value of each 2 x 2 block's top-left pixel modulo K, and its
 * reconstruction halves the distance to mid-grey (x' = x / 2 in the centred range).
 */
public final class UniformPixelModel extends AbstractBlock implements Autoencoder {
  private final CountingQuantizer quantizer;

  public UniformPixelModel(int numCodes) {
    this.quantizer = new CountingQuantizer(numCodes);
  }

  /** The code of one 8-bit value. */
  public int code(int byteValue) {
    return byteValue % quantizer.numCodes();
  }

  private static NDArray bytes(NDArray images) {
    return images.add(0.5).mul(255).round().toType(DataType.INT64, false);
  }

  @Override
  public AutoencoderOutput compute(ParameterStore ps, NDArray images, boolean training) {
    NDArray reconstruction = images.mul(0.5);
    return new AutoencoderOutput(reconstruction, images.getManager().zeros(new Shape()), Map.of(),
        encodeCodes(ps, images));
  }

  @Override
  public List<NDArray> encodeCodes(ParameterStore ps, NDArray images) {
    NDArray corner = bytes(images).get(":, 0, ::2, ::2");
    return List.of(corner.mod(quantizer.numCodes()));
  }

  @Override
  public NDArray decodeCodes(ParameterStore ps, NDList codes) {
    throw new UnsupportedOperationException("metrics never decode codes alone");
  }

  @Override
  public NDArray logLikelihood(ParameterStore ps, NDArray images, NDList codes) {
    long b = images.getShape().get(0);
    long d = images.getShape().size() / b;
    // float64, so that -ln 256 per pixel carries no float32 rounding into the check.
    NDArray logits = images.getManager().zeros(new Shape(b, 256, d), DataType.FLOAT64);
    NDArray values = bytes(images).reshape(b, 1, d);
    return logits.logSoftmax(1).gather(values, 1).sum(new int[] {1, 2});
  }

  @Override
  public List<Quantizer> quantizers() {
    return List.of(quantizer);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(compute(ps, inputs.singletonOrThrow(), training).reconstruction());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  /** Only what codebook usage reads: the codebook size; it never restarts codes. */
  private static final class CountingQuantizer extends AbstractBlock implements Quantizer {
    private final int numCodes;

    CountingQuantizer(int numCodes) {
      this.numCodes = numCodes;
    }

    @Override
    public int numCodes() {
      return numCodes;
    }

    @Override
    public int codeDim() {
      return 1;
    }

    @Override
    public org.vqlab.core.quantizer.QuantizerOutput quantize(ParameterStore ps, NDArray z,
        boolean training) {
      throw new UnsupportedOperationException("the model computes its codes directly");
    }

    @Override
    public NDArray codebook(ParameterStore ps) {
      throw new UnsupportedOperationException("the model has no codebook vectors");
    }

    @Override
    public NDArray decode(ParameterStore ps, NDArray indices) {
      throw new UnsupportedOperationException("the model has no codebook vectors");
    }

    @Override
    public long restarts() {
      return 0;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
        PairList<String, Object> params) {
      return inputs;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return inputShapes;
    }
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {}
}
