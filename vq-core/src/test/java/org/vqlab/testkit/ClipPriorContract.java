package org.vqlab.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vqlab.core.prior.AncestralSampling;
import org.vqlab.core.prior.ClipPrior;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;

/**
 * {@link CodePriorContract} for a {@link ClipPrior}, plus its clip methods on clips of
 * {@link #FRAMES} frames: {@code clipLogits} of frame f equals {@code logits} of that frame given
 * frames 0 .. f - 1 as the past (so frames after f cannot reach it); {@code clipNats} is the mean
 * -log p per code of those logits; {@code frameBits} with the past is the per-frame mean of the
 * same in bits and without it the frame's bits with no past; {@code sampleFuture} keeps the given
 * frames and draws each later frame as {@code sample} does given the frames before it. The
 * default contexts have no upper level (a clip prior models one level).
 */
public abstract class ClipPriorContract extends CodePriorContract {
  protected static final int FRAMES = 4;

  @Override
  protected abstract ClipPrior create(PriorContext context);

  @Override
  protected List<PriorContext> contexts() {
    return List.of(new PriorContext(5, 4, 4, 0, 0, 0, 0), new PriorContext(5, 4, 4, 0, 0, 0, 3));
  }

  private ClipPrior clipPrior(PriorContext context) {
    return (ClipPrior) initialized(context);
  }

  private NDArray labels(PriorContext context, long batch, long seed) {
    return context.numClasses() == 0 ? null : codes(seed, context.numClasses(), batch);
  }

  /** Frames [from, to) of a clip (B, T, h, w); null when empty. */
  private static NDArray frames(NDArray clip, int from, int to) {
    return to <= from ? null : clip.get(new NDIndex(":, {}:{}", from, to));
  }

  @Test
  void clipLogitsOfEachFrameAreItsLogitsGivenTheEarlierFrames() {
    for (PriorContext context : contexts()) {
      ClipPrior prior = clipPrior(context);
      NDArray clip = codes(20, context.numCodes(), 2, FRAMES, context.height(), context.width());
      NDArray labels = labels(context, 2, 21);
      NDArray all = prior.clipLogits(parameters, clip, labels, false);
      assertEquals(new Shape(2, FRAMES, context.numCodes(), context.height(), context.width()),
          all.getShape());
      for (int f = 0; f < FRAMES; f++) {
        NDArray frame = clip.get(new NDIndex(":, {}", f));
        NDArray expected = prior.logits(parameters, frame,
            new PriorCondition(labels, null, frames(clip, 0, f)), false);
        assertArrayEquals(expected.toFloatArray(), all.get(new NDIndex(":, {}", f)).toFloatArray(),
            1e-4f, context + ": frame " + f);
      }
    }
  }

  @Test
  void clipNatsAndFrameBitsAreTheLogProbabilitiesOfTheFrames() {
    for (PriorContext context : contexts()) {
      ClipPrior prior = clipPrior(context);
      int n = context.height() * context.width();
      NDArray clip = codes(22, context.numCodes(), 2, FRAMES, context.height(), context.width());
      NDArray labels = labels(context, 2, 23);
      double[][] withPast = new double[2][FRAMES];
      double[][] withoutPast = new double[2][FRAMES];
      double total = 0;
      for (int f = 0; f < FRAMES; f++) {
        NDArray frame = clip.get(new NDIndex(":, {}", f));
        float[] a = prior.logProbability(parameters, frame,
            new PriorCondition(labels, null, frames(clip, 0, f)), false).toFloatArray();
        float[] b = prior.logProbability(parameters, frame, new PriorCondition(labels, null, null),
            false).toFloatArray();
        for (int i = 0; i < 2; i++) {
          withPast[i][f] = -a[i] / n / Math.log(2);
          withoutPast[i][f] = -b[i] / n / Math.log(2);
          total -= a[i];
        }
      }
      assertEquals(total / (2.0 * FRAMES * n), prior.clipNats(parameters, clip, labels, false)
          .getFloat(), 1e-5 * Math.max(1, total / (2.0 * FRAMES * n)), context + ": clipNats");
      float[] bits = prior.frameBits(parameters, clip, labels, true).toFloatArray();
      float[] bare = prior.frameBits(parameters, clip, labels, false).toFloatArray();
      for (int i = 0; i < 2; i++) {
        for (int f = 0; f < FRAMES; f++) {
          assertEquals(withPast[i][f], bits[i * FRAMES + f], 1e-4, context + ": frameBits with past");
          assertEquals(withoutPast[i][f], bare[i * FRAMES + f], 1e-4,
              context + ": frameBits without the past");
        }
      }
    }
  }

  @Test
  void sampleFutureKeepsTheGivenFramesAndSamplesEachLaterFrameGivenItsPast() {
    for (PriorContext context : contexts()) {
      ClipPrior prior = clipPrior(context);
      NDArray clip = codes(24, context.numCodes(), 2, FRAMES, context.height(), context.width());
      NDArray labels = labels(context, 2, 25);
      NDArray uniforms = AncestralSampling.uniforms(manager, manager.getDevice(), 2 * FRAMES,
          context.height(), context.width(), 26).reshape(2, FRAMES, context.height(),
          context.width());
      for (int given = 0; given < 2; given++) {
        NDArray out = prior.sampleFuture(parameters, clip, given, uniforms, labels, 1.0);
        assertEquals(clip.getShape(), out.getShape());
        if (given > 0) {
          assertArrayEquals(frames(clip, 0, given).toLongArray(),
              frames(out, 0, given).toLongArray(), context + ": given frames");
        }
        for (int f = given; f < FRAMES; f++) {
          NDArray expected = prior.sample(parameters, uniforms.get(new NDIndex(":, {}", f)),
              new PriorCondition(labels, null, frames(out, 0, f)), 1.0);
          assertArrayEquals(expected.toLongArray(), out.get(new NDIndex(":, {}", f)).toLongArray(),
              context + ": frame " + f + " of a future from " + given + " given frames");
        }
      }
    }
  }
}
