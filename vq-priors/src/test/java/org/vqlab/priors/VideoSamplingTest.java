package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.vqlab.core.prior.AncestralSampling;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;

/**
 * Sampling the future of a clip: the given frames are kept, and every later frame is the one the
 * reference sampler (a full forward pass per position) draws from the same uniforms given the
 * frames before it, so the fast per-frame sampler sees the past exactly as the logits do.
 */
class VideoSamplingTest {

  @Test
  void futureFramesAreTheReferenceSamplesGivenTheirPast() {
    Engine.getInstance().setRandomSeed(3);
    try (NDManager manager = NDManager.newBaseManager()) {
      int k = 8;
      int t = 4;
      int given = 2;
      VideoPixelCnn prior = VideoFixtures.prior(manager, "channels = 16, layers = 2, context = 2,"
          + " conditioning_channels = 8, conditioning_layers = 1", new PriorContext(k, 4, 5, 0, 0, 0, 4));
      NDArray clip = PriorFixtures.randomCodes(manager, 31, k, 3, t, 4, 5);
      NDArray labels = manager.create(new long[] {0, 3, 1});
      Engine.getInstance().setRandomSeed(32);
      NDArray uniforms = manager.randomUniform(0f, 1f, new Shape(3, t, 4, 5), DataType.FLOAT32);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray future = prior.sampleFuture(ps, clip, given, uniforms, labels, 1.0);

      assertEquals(clip.getShape(), future.getShape());
      assertArrayEquals(clip.get(new NDIndex(":, 0:{}", given)).toLongArray(),
          future.get(new NDIndex(":, 0:{}", given)).toLongArray());
      for (int f = given; f < t; f++) {
        NDArray expected = AncestralSampling.reference(prior, ps, uniforms.get(new NDIndex(":, {}", f)),
            new PriorCondition(labels, null, future.get(new NDIndex(":, 0:{}", f))), 1.0);
        assertArrayEquals(expected.toLongArray(), future.get(new NDIndex(":, {}", f)).toLongArray(),
            "frame " + f);
        assertNotEquals(0L, expected.sub(clip.get(new NDIndex(":, {}", f))).abs().sum().getLong(),
            "frame " + f + " was not resampled");
      }

      // From no given frame: the first frame comes from the learned start, and the CodePrior
      // sampler (one frame given its past) agrees with sampleFuture.
      NDArray all = prior.sampleFuture(ps, clip, 0, uniforms, labels, 1.0);
      NDArray first = prior.sample(ps, uniforms.get(new NDIndex(":, 0")),
          new PriorCondition(labels, null, null), 1.0);
      assertArrayEquals(first.toLongArray(), all.get(new NDIndex(":, 0")).toLongArray());
      NDArray third = prior.sample(ps, uniforms.get(new NDIndex(":, 2")),
          new PriorCondition(labels, null, all.get(new NDIndex(":, 0:2"))), 1.0);
      assertArrayEquals(third.toLongArray(), all.get(new NDIndex(":, 2")).toLongArray());
    }
  }
}
