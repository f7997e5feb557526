package org.vqlab.priors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The conditioning stack of a VQ-VAE-2 lower-level prior: the upper codes (B, h', w') are embedded,
 * pass through 3 x 3 convolutions at their own resolution, are repeated (nearest neighbour) by the
 * resolution ratio and pass one more 3 x 3 convolution, then a 1 x 1 projection gives every gated
 * layer its own (B, 2C, h, w) bias. The upper grid is given in full, so nothing here is masked.
 */
final class UpperConditioning extends ConvNet {
  private final CodeEmbedding embedding;
  private final Conv2d[] low;
  private final Conv2d high;
  private final Conv2d projection;
  private final int ratioH;
  private final int ratioW;
  private final int outChannels;

  UpperConditioning(int upperNumCodes, int channels, int convolutions, int ratioH, int ratioW,
      int outChannels) {
    this.ratioH = ratioH;
    this.ratioW = ratioW;
    this.outChannels = outChannels;
    embedding = child("embedding", new CodeEmbedding(upperNumCodes, channels, 1f), 1);
    low = new Conv2d[convolutions];
    for (int i = 0; i < convolutions; i++) {
      low[i] = conv("low_" + i, channels, channels, 3, 3, 1, 1);
    }
    high = conv("high", channels, channels, 3, 3, 1, 1);
    projection = conv("projection", channels, outChannels, 1, 1, 0, 0);
  }

  /** upper codes (B, h', w') int64 to (B, outChannels, h' * ratioH, w' * ratioW). */
  NDArray maps(ParameterStore ps, NDArray upperCodes, boolean training) {
    NDArray e = embedding.maps(ps, upperCodes, training);
    for (Conv2d c : low) {
      e = Activation.relu(apply(c, ps, e, training));
    }
    if (ratioH > 1) {
      e = e.repeat(2, ratioH);
    }
    if (ratioW > 1) {
      e = e.repeat(3, ratioW);
    }
    e = Activation.relu(apply(high, ps, e, training));
    return apply(projection, ps, e, training);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(maps(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), outChannels, s.get(1) * ratioH, s.get(2) * ratioW)};
  }
}
