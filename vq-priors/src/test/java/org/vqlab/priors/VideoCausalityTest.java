package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;

/**
 * Causality in time of the video PixelCNN on clips of T = 4 frames of 4 x 4 codes, K = 8, with a
 * context of 2 frames: the logits of frame t at p never change (exactly) when a code of a later
 * frame, or of frame t at or after p, changes, nor when a frame older than the context changes;
 * they do change with the earlier codes of frame t in the receptive field and with each past frame
 * inside the context. Changing every code from a point on in clip order is checked too.
 */
class VideoCausalityTest {
  private static final int K = 8;
  private static final int T = 4;
  private static final int H = 4;
  private static final int W = 4;
  private static final int N = H * W;
  private static final int CONTEXT = 2;

  @ParameterizedTest(name = "classes={0}")
  @CsvSource({"0", "3"})
  void framesDependOnlyOnTheirPastAndEarlierPositions(int classes) {
    Engine.getInstance().setRandomSeed(5);
    try (NDManager manager = NDManager.newBaseManager()) {
      VideoPixelCnn prior = VideoFixtures.prior(manager, "channels = 16, layers = 2,"
          + " conditioning_channels = 8, conditioning_layers = 1, context = " + CONTEXT,
          new PriorContext(K, H, W, 0, 0, 0, classes));
      int reach = prior.frame().reach();
      int size = T * N;
      long[] base = PriorFixtures.randomCodes(manager, 21, K, T * N).toLongArray();
      // Variant 0: the clip. 1 + q: the code at clip position q (= t * N + p) changed.
      // 1 + size + q: every code from q on (clip order) redrawn.
      int variants = 1 + 2 * size;
      long[] all = new long[variants * size];
      Random random = new Random(22);
      for (int v = 0; v < variants; v++) {
        System.arraycopy(base, 0, all, v * size, size);
      }
      for (int q = 0; q < size; q++) {
        all[(1 + q) * size + q] = (base[q] + 1 + random.nextInt(K - 1)) % K;
        for (int p = q; p < size; p++) {
          all[(1 + size + q) * size + p] = (base[p] + 1 + random.nextInt(K - 1)) % K;
        }
      }
      NDArray clips = manager.create(all, new Shape(variants, T, H, W));
      NDArray labels = classes > 0 ? manager.zeros(new Shape(variants), ai.djl.ndarray.types.DataType.INT64).add(2)
          : null;
      ParameterStore ps = new ParameterStore(manager, false);
      float[] logits = prior.clipLogits(ps, clips, labels, false).toFloatArray();

      int within = 0;
      int past = 0;
      for (int t = 0; t < T; t++) {
        for (int p = 0; p < N; p++) {
          int at = t * N + p;
          for (int q = 0; q < size; q++) {
            double single = maxDifference(logits, 0, 1 + q, at);
            int u = q / N;
            int pq = q % N;
            if (q >= at || u < t - CONTEXT) {
              assertEquals(0.0, single, "frame " + t + " at " + pos(p) + " depends on frame " + u
                  + " at " + pos(pq) + (q >= at ? " (later in clip order)" : " (older than the context)"));
              assertEquals(0.0, q >= at ? maxDifference(logits, 0, 1 + size + q, at) : 0.0,
                  "frame " + t + " at " + pos(p) + " changes when everything from frame " + u + " "
                      + pos(pq) + " on changes");
            } else if (u == t && ReceptiveField.contains(p / W, p % W, pq / W, pq % W, reach)) {
              assertTrue(single > 0, "frame " + t + " at " + pos(p) + " ignores " + pos(pq));
              within++;
            } else if (u < t && pq == p) {
              // The same position in each past frame of the context feeds this position's bias.
              assertTrue(single > 0, "frame " + t + " at " + pos(p) + " ignores past frame " + u);
              past++;
            }
          }
        }
      }
      assertEquals(T * ReceptiveField.dependencies(H, W, reach), within);
      // Frames 1, 2, 3 have 1, 2, 2 past frames inside the context.
      assertEquals((1 + 2 + 2) * N, past);

      // The one-frame API (past frames given, earlier first; more than the context is cut) gives
      // the clip's logits of that frame.
      NDArray clip = clips.get("0:1");
      NDArray clipLogits = prior.clipLogits(ps, clip, labels == null ? null : labels.get("0:1"), false);
      for (int t = 0; t < T; t++) {
        PriorCondition c = new PriorCondition(labels == null ? null : labels.get("0:1"), null,
            t == 0 ? null : clip.get(new NDIndex(":, 0:{}", t)));
        float[] one = prior.logits(ps, clip.get(new NDIndex(":, {}", t)), c, false).toFloatArray();
        float[] expected = clipLogits.get(new NDIndex(":, {}", t)).toFloatArray();
        assertArrayEquals(expected, one, 1e-5f, "frame " + t);
      }
      if (classes > 0) {
        NDArray other = manager.create(new long[] {1});
        double moved = clipLogits.sub(prior.clipLogits(ps, clip, other, false)).abs().max().getFloat();
        assertTrue(moved > 0, "the label does not change the logits");
      }
      System.out.printf("video causality classes=%d: %d in-frame and %d past-frame dependencies"
          + " checked, reach %d%n", classes, within, past, reach);
    }
  }

  /** max over k of |logits[a, t, k, p] - logits[b, t, k, p]| for at = t * N + p in (V, T, K, H, W). */
  private static double maxDifference(float[] logits, int a, int b, int at) {
    int t = at / N;
    int p = at % N;
    double max = 0;
    for (int k = 0; k < K; k++) {
      max = Math.max(max, Math.abs(logits[((a * T + t) * K + k) * N + p]
          - logits[((b * T + t) * K + k) * N + p]));
    }
    return max;
  }

  private static String pos(int p) {
    return "(" + p / W + ", " + p % W + ")";
  }
}
