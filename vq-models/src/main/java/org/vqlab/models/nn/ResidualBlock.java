package org.vqlab.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The VQ-VAE residual block: x + conv1x1(relu(conv3x3(relu(x)))), without biases as in Sonnet. */
public final class ResidualBlock extends AbstractBlock {
  private final Conv2d conv3x3;
  private final Conv2d conv1x1;

  public ResidualBlock(int channels, int residualChannels) {
    conv3x3 = addChildBlock("conv3x3", ConvStacks.initialized(Conv2d.builder().setKernelShape(new Shape(3, 3))
        .optPadding(new Shape(1, 1)).setFilters(residualChannels).optBias(false).build()));
    conv1x1 = addChildBlock("conv1x1", ConvStacks.initialized(Conv2d.builder().setKernelShape(new Shape(1, 1))
        .setFilters(channels).optBias(false).build()));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray h = conv3x3.forward(ps, new NDList(Activation.relu(x)), training).singletonOrThrow();
    h = conv1x1.forward(ps, new NDList(Activation.relu(h)), training).singletonOrThrow();
    return new NDList(x.add(h));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    conv3x3.initialize(manager, dataType, inputShapes);
    conv1x1.initialize(manager, dataType, conv3x3.getOutputShapes(inputShapes));
  }
}
