package org.vqlab.priors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
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
 *
 * <p>Several upper grids of the same K and size (the earlier stages of a residual level, or every
 * stage of the level above) come stacked, (B, G, h', w'): grid g has its own embedding rows
 * g K .. g K + K - 1, and a position's G embeddings are summed. One grid is the case above.
 */
final class UpperConditioning extends ConvNet {
  private final CodeEmbedding embedding;
  private final int upperNumCodes;
  private final int grids;
  private final Conv2d[] low;
  private final Conv2d high;
  private final Conv2d projection;
  private final int ratioH;
  private final int ratioW;
  private final int outChannels;

  UpperConditioning(int upperNumCodes, int grids, int channels, int convolutions, int ratioH,
      int ratioW, int outChannels) {
    this.upperNumCodes = upperNumCodes;
    this.grids = grids;
    this.ratioH = ratioH;
    this.ratioW = ratioW;
    this.outChannels = outChannels;
    embedding = child("embedding", new CodeEmbedding(grids * upperNumCodes, channels, 1f), 1);
    low = new Conv2d[convolutions];
    for (int i = 0; i < convolutions; i++) {
      low[i] = conv("low_" + i, channels, channels, 3, 3, 1, 1);
    }
    high = conv("high", channels, channels, 3, 3, 1, 1);
    projection = conv("projection", channels, outChannels, 1, 1, 0, 0);
  }

  /**
   * upper codes (B, h', w') int64, or G grids (B, G, h', w'), to (B, outChannels, h' * ratioH,
   * w' * ratioW).
   */
  NDArray maps(ParameterStore ps, NDArray upperCodes, boolean training) {
    NDArray e;
    if (grids == 1) {
      e = embedding.maps(ps, upperCodes, training);
    } else {
      Shape s = upperCodes.getShape();
      if (s.dimension() != 4 || s.get(1) != grids) {
        throw new IllegalArgumentException("this prior is conditioned on " + grids
            + " upper grids (B, " + grids + ", h', w'); got upper codes " + s);
      }
      NDArray offsets = upperCodes.getManager().arange(0, grids * upperNumCodes, upperNumCodes,
          DataType.INT64, upperCodes.getDevice()).reshape(1, grids, 1, 1);
      e = embedding.lookup(ps, upperCodes.add(offsets), training).sum(new int[] {1})
          .transpose(0, 3, 1, 2);
    }
    for (Conv2d c : low) {
      e = Activation.relu(apply(c, ps, e, training));
    }
    if (ratioH > 1 || ratioW > 1) {
      // Upsampled in the (B, h, w, C) view, so that the map stays channels-last (as the embedding
      // and the low convolutions leave it) and the high and projection convolutions run
      // channels-last like the gated stacks whose biases they feed. Repeated along H and W of the
      // (B, C, h, w) view instead, the map turned row-major, and the projection's backward pass
      // had to copy the gated layers' channels-last gradient of the whole conditioning, (64, 1408,
      // 14, 14) at the default sizes, into row-major: 195-203 ms per 14 x 14 | 7 x 7 step in the
      // profile (bench/peer-pytorch --profile prior_14x14_given_7x7), and that convolution's
      // backward took 208 ms against 23 ms now; CPU per step 2134 against 2364 ms over three
      // alternating pairs of vq bench prior --cases 14x14 --repeats 10 --warmup 10.
      NDArray nhwc = e.transpose(0, 2, 3, 1);
      if (ratioH > 1) {
        nhwc = nhwc.repeat(1, ratioH);
      }
      if (ratioW > 1) {
        nhwc = nhwc.repeat(2, ratioW);
      }
      e = nhwc.transpose(0, 3, 1, 2);
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
