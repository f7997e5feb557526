package org.vqlab.eval.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.metric.EvaluationContext;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.core.metric.MetricValue;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.prior.ClipPrior;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.eval.TestBatches;
import org.vqlab.eval.VideoContinuation;

/**
 * Video prediction in latent space, for a one-level autoencoder with a video prior ({@link
 * ClipPrior}) on a clip dataset: the test NLL of each frame in bits per code given its past and
 * with the past replaced by the start (so the gain from the past is the difference, frame by
 * frame), and the error of generated frames against the real ones: the first {@code clips} test
 * clips are continued after {@code context_frames} given frames for {@code future_frames} frames
 * ({@link VideoContinuation}, seed = the run's), and the per-frame MSE in [0, 1] pixel units of the
 * generated frames is reported next to two references: the autoencoder's reconstruction of the
 * real frames (the floor for generation through the codes) and repeating the last given frame.
 */
public final class VideoPrediction extends TestSplitMetric {
  public static final String NAME = "video_prediction";
  private final VideoPredictionConfig config;

  public VideoPrediction(VideoPredictionConfig config) {
    super(NAME);
    this.config = config;
  }


  @Override
  protected MetricResult evaluate(EvaluationContext context, Autoencoder model, VqDataset data) {
    if (data.itemShape().dimension() != 4) {
      return missing("the test split holds images " + data.itemShape() + ", not clips (C, T, H, W)");
    }
    if (model.quantizers().size() != 1) {
      return missing("video prediction needs a one-level model (vqvae); this one has "
          + model.quantizers().size() + " code levels");
    }
    Optional<CodePrior> prior = context.prior(0);
    if (prior.isEmpty()) {
      return missing(context.missing().getOrDefault("prior/bottom", "the run has no trained prior"));
    }
    if (!(prior.get() instanceof ClipPrior video)) {
      return missing("the run's prior is an image prior; video prediction needs a video prior"
          + " (prior=video_pixelcnn)");
    }
    int frames = TestBatches.frames(data);
    Map<String, MetricValue> values = new LinkedHashMap<>();
    Map<String, String> notComputed = new LinkedHashMap<>();
    likelihoods(context, model, video, data, frames, values);
    int total = config.contextFrames() + config.futureFrames();
    if (total > frames) {
      notComputed.put(NAME + "/mse_future", "context_frames + future_frames = " + total
          + " exceed the clips' " + frames + " frames");
    } else {
      generation(context, model, video, data, values);
    }
    return new MetricResult(values, List.of(), notComputed);
  }


  /** Per-frame bits per code over the evaluated test clips, with and without the past. */
  private static void likelihoods(EvaluationContext context, Autoencoder model, ClipPrior prior,
      VqDataset data, int frames, Map<String, MetricValue> values) {
    long items = TestBatches.items(context, data);
    // eval.batch_size counts images: a batch of clips holds about as many frames.
    int clipsPerBatch = Math.max(1, context.batchSize() / frames);
    double[] withPast = new double[frames];
    double[] withoutPast = new double[frames];
    ParameterStore ps = context.parameters();
    for (long from = 0; from < items; from += clipsPerBatch) {
      long[] idx = LongStream.range(from, Math.min(items, from + clipsPerBatch)).toArray();
      try (NDManager scope = context.manager().newSubManager();
          LabeledBatch batch = data.batch(scope, idx)) {
        NDArray codes = VideoContinuation.encode(model, ps, batch.images());
        add(withPast, prior.frameBits(ps, codes, batch.labels(), true).sum(new int[] {0}));
        add(withoutPast, prior.frameBits(ps, codes, batch.labels(), false).sum(new int[] {0}));
      }
    }
    double with = 0;
    double without = 0;
    for (int t = 0; t < frames; t++) {
      withPast[t] /= items;
      withoutPast[t] /= items;
      with += withPast[t] / frames;
      without += withoutPast[t] / frames;
    }
    values.put(NAME + "/bits_per_code", new MetricValue(with, "bits/code",
        "test NLL of the video prior, -log2 p(z_t | z_<t) per code, mean over positions, frames"
            + " and the evaluated test clips"));
    values.put(NAME + "/bits_per_code_without_past", new MetricValue(without, "bits/code",
        "the same frames' NLL under the same prior with every frame's past replaced by the"
            + " clip-start code (each frame modelled as an image)"));
    for (int t = 0; t < frames; t++) {
      values.put(String.format("%s/bits_per_code/frame_%02d", NAME, t), new MetricValue(withPast[t],
          "bits/code", "test NLL of frame " + t + " given its past"));
    }
    for (int t = 0; t < frames; t++) {
      values.put(String.format("%s/bits_per_code_without_past/frame_%02d", NAME, t),
          new MetricValue(withoutPast[t], "bits/code", "test NLL of frame " + t + " without its past"));
    }
    values.put(NAME + "/clips", new MetricValue(items, "clips",
        "test clips the NLLs are averaged over"));
  }

  /** The per-frame MSE of continued clips against the real frames, with two references. */
  private void generation(EvaluationContext context, Autoencoder model, ClipPrior prior,
      VqDataset data, Map<String, MetricValue> values) {
    int given = config.contextFrames();
    int total = given + config.futureFrames();
    long n = Math.min(config.clips(), TestBatches.items(context, data));
    PixelNormalization norm = data.normalization();
    double range = norm.high() - norm.low();
    ParameterStore ps = context.parameters();
    try (NDManager scope = context.manager().newSubManager();
        LabeledBatch batch = data.batch(scope, LongStream.range(0, n).toArray())) {
      NDArray clips = batch.images().get(new NDIndex(":, :, 0:{}", total));
      VideoContinuation.Result r = VideoContinuation.continueClips(model, prior, ps, clips,
          batch.labels(), given, context.seed(), config.temperature(), false);
      NDIndex future = new NDIndex(":, {}:", given);
      NDArray real = r.real().get(future).sub(norm.low()).div(range);
      NDArray generated = r.generated().get(future).sub(norm.low()).div(range).clip(0, 1);
      NDArray reconstructed = VideoContinuation.decode(model, ps, r.realCodes()).get(future)
          .sub(norm.low()).div(range).clip(0, 1);
      NDArray last = r.real().get(new NDIndex(":, {}:{}", given - 1, given)).sub(norm.low()).div(range);
      float[] mse = perFrameMse(real, generated);
      float[] floor = perFrameMse(real, reconstructed);
      float[] copy = perFrameMse(real, last.broadcast(real.getShape()));
      values.put(NAME + "/mse_future", new MetricValue(mean(mse), "",
          "MSE per pixel value in [0, 1] of the " + config.futureFrames() + " generated frames after "
              + given + " given ones against the real frames, mean over frames and the first " + n
              + " test clips (one sample each, temperature " + config.temperature() + ")"));
      values.put(NAME + "/mse_future_reconstruction", new MetricValue(mean(floor), "",
          "the same for the autoencoder's reconstructions of the real future frames: the floor for"
              + " frames made through the codes"));
      values.put(NAME + "/mse_future_copy_last", new MetricValue(mean(copy), "",
          "the same for repeating the last given frame: a baseline without any model"));
      for (int f = 0; f < mse.length; f++) {
        values.put(String.format("%s/mse_future/frame_%02d", NAME, given + f), new MetricValue(mse[f],
            "", "MSE of generated frame " + (given + f) + " (" + (f + 1) + " after the last given)"));
      }
      values.put(NAME + "/sampled_clips", new MetricValue(n, "clips",
          "test clips continued for the generation errors"));
    }
  }

  /** Mean squared error per frame (B, F, C, H, W) -> F values, mean over clips and pixels. */
  private static float[] perFrameMse(NDArray a, NDArray b) {
    // One axis at a time (PyTorch's engine reduces a single axis per mean); equal sizes, so the
    // mean of means is the mean.
    NDArray e = a.sub(b).square();
    return e.mean(new int[] {4}).mean(new int[] {3}).mean(new int[] {2}).mean(new int[] {0})
        .toFloatArray();
  }

  private static double mean(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static void add(double[] sums, NDArray perFrame) {
    float[] v = perFrame.toFloatArray();
    for (int t = 0; t < v.length; t++) {
      sums[t] += v[t];
    }
  }
}
