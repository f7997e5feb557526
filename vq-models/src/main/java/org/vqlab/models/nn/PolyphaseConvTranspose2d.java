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
import java.util.Optional;
import org.vqlab.core.nn.MemoryLayout;
import org.vqlab.core.nn.ScriptedOps;
import org.vqlab.core.nn.Slicing;

/**
 * A 4 x 4, stride 2, padding 1 transposed convolution (doubles H and W) whose weights are kept in
 * polyphase form. Output pixel (2i + a, 2j + b) depends on a 2 x 2 input window whose position
 * depends only on the phase (a, b), so one 2 x 2 convolution with 4 x filters (padding 1) computes
 * all four phases: channel block 2a + b holds phase (a, b) at (i, j) in its element (i + a, j + b)
 * of an (H + 1) x (W + 1) output. The 4 phases partition the 16 taps of the 4 x 4 kernel: same
 * function class and parameter count as the transposed convolution, with one bias per output
 * channel.
 *
 * <p>DJL's PyTorch engine binds no deconvolution. Where libtorch's own transposed convolution is
 * faster (see {@link #CPU_MIN_FILTERS}) the layer permutes the phase weights into the 4 x 4 kernel
 * and calls it through {@link ScriptedOps#convTranspose2d}: one operator, no interleave or crop,
 * and the framing row and column of the polyphase form (31 % more multiply-adds at 7 x 7) are
 * never computed. Otherwise, and on arrays of another engine, it computes the polyphase form below.
 * Either way the parameters and checkpoints are the same.
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
  /**
   * Below this many output channels a CPU computes the polyphase form. {@code vq bench deconv
   * trainer.device=cpu engine.num_threads=2} (batch 128, forward and backward, alternating,
   * median / fastest of 20): 128 -> 64 at 7 x 7 libtorch 51.3 / 45.8 ms against polyphase
   * 61.9 / 53.4 (row-major input), 64.0 / 49.2 against 69.9 / 55.8 (channels-last); 64 -> 1 at
   * 14 x 14 libtorch 29.5 / 18.1 against 22.9 / 17.2 and 22.8 / 17.0 against 21.8 / 16.1: oneDNN's
   * transposed convolution to one channel is no faster than the four-phase convolution. Other
   * devices always take libtorch's kernel (one operator instead of a convolution, an interleave
   * copy and a crop).
   */
  static final int CPU_MIN_FILTERS = 8;

  /** How the layer computes its output; AUTO unless -Dvqlab.polyphase.kernel=libtorch|polyphase. */
  enum Kernel { AUTO, LIBTORCH, POLYPHASE }

  /** The JVM's choice, read when a layer is made (a bad value is the user's error, not a trace). */
  private static Kernel defaultKernel() {
    String v = System.getProperty("vqlab.polyphase.kernel", "auto");
    try {
      return Kernel.valueOf(v.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new org.vqlab.core.config.ConfigError("-Dvqlab.polyphase.kernel=" + v
          + " is not one of auto, libtorch, polyphase");
    }
  }

  /** Whether this layer computes through libtorch's transposed convolution on {@code device}. */
  boolean usesLibtorch(ai.djl.Device device) {
    return kernel == Kernel.LIBTORCH || kernel == Kernel.AUTO
        && (filters >= CPU_MIN_FILTERS || !ai.djl.Device.Type.CPU.equals(device.getDeviceType()));
  }

  /** The computation this layer uses (tests set each). */
  Kernel kernel = defaultKernel();
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
    NDArray bv = ps.getValue(bias, x.getDevice(), training);
    if (usesLibtorch(x.getDevice())) {
      Optional<NDArray> y = nativeForward(x, weight, bv, training);
      if (y.isPresent()) {
        return new NDList(y.get());
      }
    }
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
    NDArray b4 = bv.reshape(1, filters, 1, 1);
    b4.attach(x.getManager());
    return new NDList(out.add(b4));
  }

  /**
   * libtorch's transposed convolution ({@link ScriptedOps#convTranspose2d}) with the 4 x 4 kernel
   * the phase weights define: phase (a, b), tap (u, v) of output channel o and input channel c is
   * the kernel's tap (3 - a - 2u, 3 - b - 2v) of (c, o). The kernel is a permuted, flipped copy of
   * the phase weights (C x F x 16 values, differentiable), so parameters and checkpoints are the
   * same either way. Empty when the engine cannot run it.
   */
  private Optional<NDArray> nativeForward(NDArray x, NDArray weight, NDArray bv, boolean training) {
    long c = weight.getShape().get(1);
    NDArray kernel;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      // (a, b, o, c, u, v) -> (c, o, u, a, v, b) -> (c, o, 2u + a, 2v + b), then reversed: 3 - a - 2u.
      kernel = weight.reshape(2, 2, filters, c, 2, 2).transpose(3, 2, 4, 0, 5, 1)
          .reshape(c, filters, 4, 4).flip(2, 3);
      NDScope.unregister(kernel);
    }
    kernel.attach(x.getManager());
    Optional<NDArray> y = ScriptedOps.convTranspose2d(x, kernel, bv, 2, 1, training);
    if (y.isEmpty()) {
      kernel.close();
    }
    return y;
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
