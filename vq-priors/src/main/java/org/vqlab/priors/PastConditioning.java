package org.vqlab.priors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The conditioning stack over past frames of a video prior (stacked 2D convolutions): the codes of
 * the {@code frames} previous frames (B, frames, h, w), values 0..K with K the learned "no frame"
 * start, are embedded, stacked along channels (earlier frames first, so each channel knows its
 * time offset), mixed by a 3 x 3 convolution and {@code convolutions} more, then a 1 x 1
 * projection gives every gated layer its own (B, 2C, h, w) bias. The past is given in full, so
 * nothing here is masked; its 3 x 3 convolutions let a frame see where things were around it.
 */
final class PastConditioning extends ConvNet {
  private final CodeEmbedding embedding;
  private final Conv2d mix;
  private final Conv2d[] convs;
  private final Conv2d projection;
  private final int frames;
  private final int channels;
  private final int outChannels;

  PastConditioning(int numCodes, int frames, int channels, int convolutions, int outChannels) {
    this.frames = frames;
    this.channels = channels;
    this.outChannels = outChannels;
    embedding = child("embedding", new CodeEmbedding(numCodes + 1, channels, 1f), 1);
    mix = conv("mix", frames * channels, channels, 3, 3, 1, 1);
    convs = new Conv2d[convolutions];
    for (int i = 0; i < convolutions; i++) {
      convs[i] = conv("conv_" + i, channels, channels, 3, 3, 1, 1);
    }
    projection = conv("projection", channels, outChannels, 1, 1, 0, 0);
  }

  /** How many past frames it reads. */
  int frames() {
    return frames;
  }

  /** past codes (B, frames, h, w) int64 in [0, K] to (B, outChannels, h, w). */
  NDArray maps(ParameterStore ps, NDArray past, boolean training) {
    Shape s = past.getShape();
    if (s.dimension() != 4 || s.get(1) != frames) {
      throw new IllegalArgumentException("past codes must be (B, " + frames + ", h, w), got " + s);
    }
    // (B, F, h, w, E) -> (B, F, E, h, w) -> (B, F * E, h, w).
    NDArray e = embedding.lookup(ps, past, training).transpose(0, 1, 4, 2, 3)
        .reshape(s.get(0), frames * (long) channels, s.get(2), s.get(3));
    e = Activation.relu(apply(mix, ps, e, training));
    for (Conv2d c : convs) {
      e = Activation.relu(apply(c, ps, e, training));
    }
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
    return new Shape[] {new Shape(s.get(0), outChannels, s.get(2), s.get(3))};
  }
}
