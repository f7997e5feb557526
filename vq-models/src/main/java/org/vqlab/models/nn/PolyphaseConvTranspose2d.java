package org.vqlab.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.vqlab.core.nn.MemoryLayout;
import org.vqlab.core.nn.Slicing;

/**
 * A 4 x 4, stride 2, padding 1 transposed convolution (doubles H and W), computed in its polyphase
 * form because DJL's PyTorch engine does not implement deconvolution. Output pixel (2i + a, 2j + b)
 * depends on a 2 x 2 input window whose position depends only on the phase (a, b), so one 2 x 2
 * convolution with 4 x filters (padding 1) computes all four phases: channel block 2a + b holds
 * phase (a, b) at (i, j) in its element (i + a, j + b) of an (H + 1) x (W + 1) output. The 4 phases
 * partition the 16 taps of the 4 x 4 kernel: same function class and parameter count as the
 * transposed convolution, with one bias per output channel.
 *
 * <p>Assembly: output row 2i + a is block row u = i + a at 2u - a, that is at 2u + t - 1 with
 * t = 1 - a, and the same for columns. So with the blocks in reverse order (the weight's four
 * filter blocks flipped, a small copy of the parameter), interleaving the whole blocks (a pixel
 * shuffle) gives the output framed by one row and one column on each side, and the output is a
 * view of it, narrowed along rows and columns ({@link Slicing#narrow}: DJL's index would slice the
 * batch and channel axes too, each a zero fill and copy of the whole more in the backward pass).
 * Forward: one copy of the blocks; backward: two slice fills and copies back. The
 * earlier form cut four (H x W) windows out of the blocks and concatenated them before the
 * shuffle: a concatenation forward, and backward four zero fills and a concatenation more, about
 * 10 ms of copies in the VQ-VAE step (bench/peer-pytorch --profile vqvae_standard).
 * A grouped convolution over four padded copies of the input (no window at all) was slower
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
    // The phase blocks in reverse order make the interleave of the whole (H + 1) x (W + 1) blocks
    // the output framed by one row and column on each side (see the class comment): one copy.
    // Outside the scope: on a replica device the store makes (and keeps) the parameter's copy here.
    NDArray weight = ps.getValue(phases.getParameters().get("weight"), x.getDevice(), training);
    Shape k = weight.getShape();
    NDArray reversed;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      // Ops on a parameter land in the parameter's manager: the scope frees the intermediates.
      reversed = weight.reshape(4, filters, k.get(1), k.get(2), k.get(3)).flip(0).reshape(k);
      NDScope.unregister(reversed);
    }
    reversed.attach(x.getManager());
    NDArray blocks = Conv2d.conv2d(x, reversed, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1))
        .singletonOrThrow();
    // The interleave in the convolution's layout: then the backward pass's copy back is already
    // in the layout the convolution's backward takes, and it makes no second one.
    NDArray framed = MemoryLayout.isRowMajor(x).orElse(false)
        ? blocks.reshape(b, 2, 2, filters, h + 1, w + 1).transpose(0, 3, 4, 1, 5, 2)
            .reshape(b, filters, 2 * h + 2, 2 * w + 2)
        : blocks.transpose(0, 2, 3, 1).reshape(b, h + 1, w + 1, 2, 2, filters)
            .transpose(0, 5, 1, 3, 2, 4).reshape(b, filters, 2 * h + 2, 2 * w + 2);
    NDArray out = Slicing.narrow(Slicing.narrow(framed, 2, 1, 2 * h + 1), 3, 1, 2 * w + 1);
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
