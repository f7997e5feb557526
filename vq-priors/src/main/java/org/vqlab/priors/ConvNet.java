package org.vqlab.priors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.List;

/**
 * A block made of convolutions whose input channels are known when they are declared, so they can
 * be initialised without tracing shapes through the (branching) forward pass.
 */
abstract class ConvNet extends AbstractBlock {
  private record Child(Block block, int inChannels) {}

  private final List<Child> children = new ArrayList<>();

  /**
   * A convolution with zero padding (ph, pw) on both sides; callers crop the output to make it
   * causal. Initialised as PyTorch does (uniform with fan-in scaling), biases zero.
   */
  protected final Conv2d conv(String name, int in, int out, int kh, int kw, int ph, int pw) {
    Conv2d c = Conv2d.builder().setKernelShape(new Shape(kh, kw)).optPadding(new Shape(ph, pw))
        .setFilters(out).build();
    c.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
        XavierInitializer.FactorType.IN, 1f), Parameter.Type.WEIGHT);
    addChildBlock(name, c);
    children.add(new Child(c, in));
    return c;
  }

  protected final <B extends Block> B child(String name, B block, int inChannels) {
    addChildBlock(name, block);
    children.add(new Child(block, inChannels));
    return block;
  }

  protected static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
    return block.forward(ps, new NDList(x), training).singletonOrThrow();
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Child c : children) {
      c.block().initialize(manager, dataType, new Shape(1, c.inChannels(), 4, 4));
    }
  }
}
