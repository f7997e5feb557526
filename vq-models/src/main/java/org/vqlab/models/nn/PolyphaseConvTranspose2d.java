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
 * convolution with 4 x filters (padding 1) computes all four phases: channel block 2a + b holds
 * phase (a, b), read from the window that starts a rows and b columns into its (H + 1) x (W + 1)
 * output. The phases are then interleaved (a pixel shuffle). The 4 phases partition the 16 taps of
 * the 4 x 4 kernel: same function class and parameter count as the transposed convolution, with one
 * bias per output channel.
 *
 * <p>The windows are cut from the channel blocks (a split, which is free) rather than from the whole
 * output: the backward of a slice zero-fills the array it was cut from, so four windows of the
 * whole output cost four full-size zero fills and three full-size additions. Measured with
 * bench/peer-pytorch --profile: 88 of the VQ-VAE step's 840 profiled ms went to those fills and
 * copies. A grouped convolution over four padded copies of the input (no window at all) was slower
 * still: oneDNN's grouped kernels with one output channel per group took 80-120 ms for the last
 * decoder layer, against 15 ms here.
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
    NDList blocks = phases.forward(ps, new NDList(x), training).singletonOrThrow().split(4, 1);
    NDList windows = new NDList(4);
    for (int a = 0; a < 2; a++) {
      for (int c = 0; c < 2; c++) {
        windows.add(blocks.get(2 * a + c).get(new NDIndex(":, :, {}:{}, {}:{}", a, a + h, c, c + w)));
      }
    }
    // (B, 4F, H, W), phase-major, to (B, F, 2H, 2W): out[n, f, 2i + a, 2j + b] = phase (a, b) at (i, j).
    NDArray out = NDArrays.concat(windows, 1).reshape(b, 2, 2, filters, h, w).transpose(0, 3, 4, 1, 5, 2)
        .reshape(b, filters, 2 * h, 2 * w);
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
