package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.vqlab.core.data.DataLocations;
import org.vqlab.core.data.IdxDataset;
import org.vqlab.core.data.MovingItemsDataset;
import org.vqlab.core.data.Split;
import org.vqlab.core.prior.PriorContext;
import org.vqlab.core.testing.FashionMnistFiles;
import org.vqlab.core.train.AdamOptimizer;
import org.vqlab.core.train.TrainerConfig;

/**
 * On real moving Fashion-MNIST the past predicts a frame: frames turned into codes cheaply (8 x 8
 * patch means of 64 x 64 frames in 16 bins, no VQ-VAE) have a test NLL given their past clearly
 * below the NLL of the same frames under an image prior (a gated PixelCNN of the same size trained
 * on the same frames), and below the video prior's own NLL with the past replaced by the start.
 */
class VideoFitTest {
  private static final int K = 16;
  private static final int FRAMES = 8;
  private static final int SIDE = 64;
  private static final int PATCH = 8;
  private static final int GRID = SIDE / PATCH;
  private static final int STEPS = 250;
  private static final int CLIPS_PER_BATCH = 8;

  /** Clips of codes on the host: (n, T, GRID, GRID) flat. */
  private record CodeClips(long[] codes, int count) {
    NDArray clips(NDManager manager, int[] items) {
      int size = FRAMES * GRID * GRID;
      long[] out = new long[items.length * size];
      for (int i = 0; i < items.length; i++) {
        System.arraycopy(codes, items[i] * size, out, i * size, size);
      }
      return manager.create(out, new Shape(items.length, FRAMES, GRID, GRID));
    }
  }

  /** Real moving Fashion-MNIST clips (2 items, 64 x 64, T = 8) of a split as patch codes. */
  private static CodeClips movingFashionMnist(Split split, int clips) throws IOException {
    DataLocations locations = new DataLocations(FashionMnistFiles.require(), null, List.of(),
        Path.of("/nonexistent"));
    MovingItemsDataset data = MovingItemsDataset.builder(IdxDataset.FASHION_MNIST)
        .configureSource(s -> s.optLocations(locations)).optSplit(split).optFrames(FRAMES)
        .optFrameSize(SIDE).optNumItems(2).optNumClips(clips).optSeed(4).build();
    data.prepare(null);
    int cells = GRID * GRID;
    long[] codes = new long[clips * FRAMES * cells];
    for (int i = 0; i < clips; i++) {
      byte[] clip = data.rawItem(i);
      for (int f = 0; f < FRAMES; f++) {
        for (int cell = 0; cell < cells; cell++) {
          int r0 = cell / GRID * PATCH;
          int c0 = cell % GRID * PATCH;
          int sum = 0;
          for (int y = 0; y < PATCH; y++) {
            for (int x = 0; x < PATCH; x++) {
              sum += clip[f * SIDE * SIDE + (r0 + y) * SIDE + c0 + x] & 0xff;
            }
          }
          // Patch mean in [0, 1] to bins 0..K-1.
          double mean = sum / (255.0 * PATCH * PATCH);
          codes[(i * FRAMES + f) * cells + cell] = Math.min(K - 1, (long) Math.floor(mean * K));
        }
      }
    }
    return new CodeClips(codes, clips);
  }

  @Test
  void thePastLowersTheTestNllOfFramesWellBelowTheImagePrior() throws IOException {
    CodeClips train = movingFashionMnist(Split.TRAIN, 800);
    CodeClips test = movingFashionMnist(Split.TEST, 100);
    String size = "channels = 24, layers = 2, conditioning_channels = 24, conditioning_layers = 1";
    try (NDManager manager = NDManager.newBaseManager()) {
      PriorContext context = new PriorContext(K, GRID, GRID, 0, 0, 0, 0);
      Engine.getInstance().setRandomSeed(1);
      VideoPixelCnn video = VideoFixtures.prior(manager, size + ", context = 2", context);
      fit(video, manager, train, (ps, clips) -> video.clipNats(ps, clips, null, true));
      Engine.getInstance().setRandomSeed(1);
      GatedPixelCnn image = PriorFixtures.prior(manager, size, context);
      fit(image, manager, train, (ps, clips) -> {
        NDArray frames = clips.reshape(-1, GRID, GRID);
        return image.natsPerCode(ps, frames, null, true);
      });

      ParameterStore ps = new ParameterStore(manager, false);
      double[] withPast = new double[FRAMES];
      double[] startOnly = new double[FRAMES];
      double[] imagePrior = new double[FRAMES];
      for (int from = 0; from < test.count(); from += 50) {
        try (NDManager scope = manager.newSubManager()) {
          int[] items = java.util.stream.IntStream.range(from, from + 50).toArray();
          NDArray clips = test.clips(scope, items);
          add(withPast, video.frameBits(ps, clips, null, true));
          add(startOnly, video.frameBits(ps, clips, null, false));
          NDArray frames = clips.reshape(-1, GRID, GRID);
          NDArray logp = image.logits(ps, frames, null, false).logSoftmax(1)
              .gather(frames.expandDims(1), 1);
          add(imagePrior, logp.reshape(-1, FRAMES, GRID * GRID).mean(new int[] {2}).neg()
              .div(Math.log(2)));
        }
      }
      double past = mean(withPast, 1, test.count());
      double start = mean(startOnly, 1, test.count());
      double still = mean(imagePrior, 1, test.count());
      System.out.printf("moving Fashion-MNIST, %dx%d patch codes, K=%d, T=%d, %d steps: test NLL of"
          + " frames 1..%d: %.3f bits/code given the past (context 2), %.3f under the image prior,"
          + " %.3f with the past replaced by the start; frame 0: %.3f video, %.3f image%n",
          GRID, GRID, K, FRAMES, STEPS, FRAMES - 1, past, still, start,
          withPast[0] / test.count(), imagePrior[0] / test.count());
      assertTrue(past <= 0.8 * still, "given the past " + past + " vs image prior " + still);
      assertTrue(past <= 0.8 * start, "given the past " + past + " vs start only " + start);
    }
  }

  /** Adam at a constant rate on batches of 8 random clips (every frame of each). */
  private static void fit(Block prior, NDManager manager, CodeClips train,
      BiFunction<ParameterStore, NDArray, NDArray> loss) {
    List<Parameter> params = new ArrayList<>();
    prior.getParameters().forEach(p -> params.add(p.getValue()));
    TrainerConfig config = new TrainerConfig("cpu", STEPS, 0, CLIPS_PER_BATCH, 5e-3,
        List.of(0.9, 0.999), 0, 0, TrainerConfig.Schedule.CONSTANT, 0, 1.0, 1, 1, 0, 1, 1);
    Random random = new Random(9);
    ParameterStore ps = new ParameterStore(manager, false);
    try (AdamOptimizer adam = new AdamOptimizer(params, config, manager)) {
      for (int step = 1; step <= STEPS; step++) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray clips = train.clips(scope, random.ints(CLIPS_PER_BATCH, 0, train.count()).toArray());
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.apply(ps, clips));
          }
          adam.step(step, scope);
        }
      }
    }
  }

  /** Adds the per-frame sums over items of bits (B, T) to {@code sums}. */
  private static void add(double[] sums, NDArray bits) {
    float[] v = bits.sum(new int[] {0}).toFloatArray();
    for (int f = 0; f < sums.length; f++) {
      sums[f] += v[f];
    }
  }

  /** Mean bits per code over frames [from, T) and items. */
  private static double mean(double[] sums, int from, int items) {
    double total = 0;
    for (int f = from; f < sums.length; f++) {
      total += sums[f];
    }
    return total / (items * (sums.length - from));
  }
}
