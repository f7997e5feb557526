package org.vqlab.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 4 x 4, stride 2, padding 1 transposed convolution (doubles H and W), computed in its polyphase
 * form because DJL's PyTorch engine does not implement deconvolution. Output pixel (2i + a, 2j + b)
 * depends on a 2 x 2 input window whose position depends only on the phase (a, b), so one 2 x 2
 * convolution with 4 x filters (padding 1) computes all four phases, which are then interleaved.
 * The 4 phases partition the 16 taps of the 4 x 4 kernel: same function class, same parameter count
 * and the same FLOPs as the transposed convolution, with one bias per output channel.
 */
public final class PolyphaseConvTranspose2d extends AbstractBlock {
  private final int filters;
  private final Conv2d phases;
  private final Parameter bias;

  public PolyphaseConvTranspose2d(int filters) {
    this.filters = filters;
    phases = addChildBlock("phases", ConvStacks.initialized(Conv2d.builder().setKernelShape(new Shape(2, 2))
        .optPadding(new Shape(1, 1)).setFilters(4 * filters).optBias(false).build()));
    bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
        .optShape(new Shape(filters)).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long b = x.getShape().get(0);
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    // (B, 4C, H + 1, W + 1): channel block 2a + b holds phase (a, b); it reads the window that
    // starts a rows and b columns further into the padded input.
    NDArray all = phases.forward(ps, new NDList(x), training).singletonOrThrow();
    NDList parts = new NDList(4);
    for (int a = 0; a < 2; a++) {
      for (int c = 0; c < 2; c++) {
        int k = 2 * a + c;
        parts.add(all.get(new NDIndex(":, {}:{}, {}:{}, {}:{}", k * filters, (k + 1) * filters,
            a, a + h, c, c + w)));
      }
    }
    NDArray out = NDArrays.stack(parts, 1).reshape(b, 2, 2, filters, h, w)
        .transpose(0, 3, 4, 1, 5, 2).reshape(b, filters, 2 * h, 2 * w);
    // Ops on a parameter land in the parameter's manager; move the view to the step's scope.
    NDArray bv = ps.getValue(bias, x.getDevice(), training).reshape(1, filters, 1, 1);
    bv.attach(x.getManager());
    return new NDList(out.add(bv));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), filters, 2 * s.get(2), 2 * s.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    phases.initialize(manager, dataType, inputShapes);
  }
}
