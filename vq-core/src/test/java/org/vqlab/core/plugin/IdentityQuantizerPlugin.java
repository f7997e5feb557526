package org.vqlab.core.plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.vqlab.core.config.Section;
import org.vqlab.core.quantizer.Quantizer;
import org.vqlab.core.quantizer.QuantizerFactory;
import org.vqlab.core.quantizer.QuantizerOutput;

/**
 * A third-party-style plugin that lives only in test code: a quantizer named {@code identity}
 * that passes its input through, with its own {@code config/quantizer/identity.conf} resource.
 */
public final class IdentityQuantizerPlugin extends VqPluginModule {
  @Override
  protected void configure() {
    quantizer("identity", Factory.class);
  }

  /** quantizer/identity.conf */
  public record Settings(int codeDim) {}

  public static final class Factory implements QuantizerFactory {
    @Override
    public Class<? extends Record> configType() {
      return Settings.class;
    }

    @Override
    public Quantizer create(Section section) {
      return new IdentityQuantizer(section.bind(Settings.class).codeDim());
    }
  }

  static final class IdentityQuantizer extends AbstractBlock implements Quantizer {
    private final int codeDim;

    IdentityQuantizer(int codeDim) {
      this.codeDim = codeDim;
    }

    @Override
    public int numCodes() {
      return 1;
    }

    @Override
    public int codeDim() {
      return codeDim;
    }

    @Override
    public QuantizerOutput quantize(ParameterStore parameters, NDArray z, boolean training) {
      NDArray zero = z.getManager().zeros(new Shape(), DataType.FLOAT32, z.getDevice());
      Shape s = z.getShape();
      Shape indexShape = s.dimension() == 2 ? new Shape(s.get(0)) : new Shape(s.get(0)).addAll(s.slice(2));
      return new QuantizerOutput(z, z.getManager().zeros(indexShape, DataType.INT64, z.getDevice()),
          zero, zero, zero, zero.add(1), zero.add(1));
    }

    @Override
    public NDArray codebook(ParameterStore parameters) {
      throw new IllegalStateException("the identity quantizer has no codebook");
    }

    @Override
    public NDArray decode(ParameterStore parameters, NDArray indices) {
      throw new IllegalStateException("the identity quantizer's codes carry no vectors");
    }

    @Override
    public long restarts() {
      return 0;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
        PairList<String, Object> params) {
      return new NDList(quantize(ps, inputs.singletonOrThrow(), training).quantized());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return inputShapes;
    }
  }
}
