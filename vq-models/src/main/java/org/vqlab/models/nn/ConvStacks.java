package org.vqlab.models.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The convolutional stacks of the VQ-VAE paper (van den Oord et al. 2017, section 4.1): strided
 * 4 x 4 convolutions down, a 3 x 3 convolution, residual blocks; the decoder mirrors it.
 */
public final class ConvStacks {
  private ConvStacks() {}

  /** log2 of a power of two. */
  public static int halvings(int factor) {
    return Integer.numberOfTrailingZeros(factor);
  }

  /**
   * Image to features at 1/{@code downsample} resolution: log2(downsample) stride-2 4 x 4
   * convolutions (the first with channels/2 when there are several), a 3 x 3 convolution, the
   * residual stack and a final ReLU.
   */
  public static SequentialBlock encoder(int channels, int residualChannels, int residualBlocks,
      int downsample) {
    SequentialBlock b = new SequentialBlock();
    int n = halvings(downsample);
    for (int i = 0; i < n; i++) {
      b.add(conv(i == 0 && n > 1 ? channels / 2 : channels, 4, 2, 1)).add(Activation.reluBlock());
    }
    b.add(conv(channels, 3, 1, 1));
    addResidualStack(b, channels, residualChannels, residualBlocks);
    return b;
  }

  /**
   * Features to {@code outChannels} at {@code upsample} times the resolution: a 3 x 3 convolution,
   * the residual stack and a final ReLU, then log2(upsample) stride-2 4 x 4 transposed convolutions
   * (the last hidden one with channels/2 when there are several).
   */
  public static SequentialBlock decoder(int channels, int residualChannels, int residualBlocks,
      int upsample, int outChannels) {
    SequentialBlock b = new SequentialBlock();
    b.add(conv(channels, 3, 1, 1));
    addResidualStack(b, channels, residualChannels, residualBlocks);
    int n = halvings(upsample);
    for (int i = 0; i < n; i++) {
      boolean last = i == n - 1;
      int filters = last ? outChannels : (i == n - 2 ? channels / 2 : channels);
      b.add(deconv(filters));
      if (!last) {
        b.add(Activation.reluBlock());
      }
    }
    return b;
  }

  /** {@code times} stride-2 transposed convolutions keeping {@code channels}, ReLU between. */
  public static SequentialBlock upsampler(int channels, int times) {
    SequentialBlock b = new SequentialBlock();
    for (int i = 0; i < times; i++) {
      if (i > 0) {
        b.add(Activation.reluBlock());
      }
      b.add(deconv(channels));
    }
    return b;
  }

  /** Features to features at half the resolution (an upper VQ-VAE-2 level's encoder). */
  public static SequentialBlock halvingEncoder(int channels, int residualChannels,
      int residualBlocks) {
    SequentialBlock b = new SequentialBlock();
    b.add(conv(channels, 4, 2, 1)).add(Activation.reluBlock()).add(conv(channels, 3, 1, 1));
    addResidualStack(b, channels, residualChannels, residualBlocks);
    return b;
  }

  public static Conv2d conv(int filters, int kernel, int stride, int padding) {
    return initialized(Conv2d.builder().setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding))
        .setFilters(filters).build());
  }

  /**
   * Uses PyTorch's default convolution initialisation, U(+-1/sqrt(fan_in)), instead of DJL's He
   * normal: the reference VQ-VAE/VAE implementations train from it, and He's larger weights make
   * the un-normalised residual stacks start with much larger activations.
   */
  public static <B extends ai.djl.nn.Block> B initialized(B block) {
    block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
        XavierInitializer.FactorType.IN, 1f), Parameter.Type.WEIGHT);
    return block;
  }

  /** A 4 x 4 stride-2 transposed convolution: doubles H and W. */
  private static PolyphaseConvTranspose2d deconv(int filters) {
    return new PolyphaseConvTranspose2d(filters);
  }

  private static void addResidualStack(SequentialBlock b, int channels, int residualChannels,
      int blocks) {
    for (int i = 0; i < blocks; i++) {
      b.add(new ResidualBlock(channels, residualChannels));
    }
    b.add(Activation.reluBlock());
  }
}
