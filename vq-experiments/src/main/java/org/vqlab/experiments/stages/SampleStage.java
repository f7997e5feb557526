package org.vqlab.experiments.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.codes.CodeLevel;
import org.vqlab.core.codes.CodeStoreHeader;
import org.vqlab.core.codes.CodeStoreWriter;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.data.VideoFrames;
import org.vqlab.core.prior.AncestralSampling;
import org.vqlab.core.prior.ClipPrior;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.run.RunLayout;
import org.vqlab.eval.VideoContinuation;
import org.vqlab.eval.figures.AnimatedGif;
import org.vqlab.eval.figures.FrameStrips;
import org.vqlab.eval.figures.ImageGrid;
import org.vqlab.experiments.run.Launch;
import org.vqlab.experiments.run.RunArtifacts;

/**
 * {@code vq sample run=<dir> n=64 temperature=1.0 label=3 sampler=fast|plain}: ancestral sampling
 * from the run's priors, top level first, each level conditioned on the codes drawn above it (and
 * on the class), decoded by the autoencoder. Writes {@code samples/samples.png} (a grid of
 * ceil(sqrt(n)) columns) and {@code samples/codes.vqc}, a code store (split "samples") with every
 * level's codes and the labels they were drawn with.
 *
 * <p>For video datasets it continues real test clips in latent space instead (see
 * {@link #sampleVideo}): {@code vq sample run=<dir> context_frames=6 future_frames=10}.
 *
 * <p>Level l's uniforms come from seed {@code sample.seed * 1000003 + l}, so the fast and the plain
 * sampler, which compute the same logits, draw the same codes for the same seed.
 */
public final class SampleStage implements Launch.StageBody {
  public static final String NAME = "sample";
  public static final String PNG = "samples.png";
  public static final String CODES = "codes.vqc";
  /** Video: real and generated frame strips, and the same as an animation. */
  public static final String STRIPS = "strips.png";
  public static final String GIF = "clips.gif";
  /** 5 frames per second: slow enough to follow the items. */
  static final int GIF_DELAY_MILLIS = 200;
  private static final Logger LOG = LoggerFactory.getLogger(SampleStage.class);

  @Override
  public void run(Launch launch) throws Exception {
    SampleConfig config = launch.section("sample").bind(SampleConfig.class);
    try (RunArtifacts run = RunArtifacts.open(launch)) {
      if (run.levels().isEmpty()) {
        throw new StageFailure("the model '" + launch.section("model").type()
            + "' has no discrete codes to sample: vq sample needs a vector-quantised model");
      }
      List<CodePrior> priors = new ArrayList<>();
      for (int l = 0; l < run.levels().size(); l++) {
        int level = l;
        priors.add(run.loadPrior(l).orElseThrow(() -> new StageFailure("no prior for level "
            + run.levels().get(level).name() + " in " + run.priorCheckpoints(level)
            + ": run `vq train-prior run=" + run.run() + "`")));
      }
      if (VideoFrames.isVideo(run.test())) {
        sampleVideo(launch, run, priors, config);
        return;
      }
      int columns = (int) Math.ceil(Math.sqrt(config.n()));
      long[] labels = labels(config, run.train().numClasses(), columns);
      Path dir = run.run().resolve(RunLayout.SAMPLES);
      long started = System.nanoTime();
      try (NDManager scope = run.manager().newSubManager()) {
        List<NDArray> codes = sample(priors, run.levels(), run.parameters(), scope, labels, config);
        double seconds = (System.nanoTime() - started) / 1e9;
        NDArray images = run.model().decodeCodes(run.parameters(), new NDList(codes));
        List<NDArray> rows = new ArrayList<>();
        for (int from = 0; from < config.n(); from += columns) {
          rows.add(images.get(from + ":" + Math.min(config.n(), from + columns)));
        }
        Path png = dir.resolve(PNG);
        ImageGrid.writePng(png, rows, run.test().normalization(), columns);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("sampler", config.sampler().name().toLowerCase(java.util.Locale.ROOT));
        provenance.put("temperature", config.temperature());
        provenance.put("seed", config.seed());
        provenance.put("label", config.label());
        provenance.put("autoencoder", run.checkpoint().toAbsolutePath().toString());
        provenance.put("config", launch.config().render());
        CodeStoreHeader header = new CodeStoreHeader("samples", config.n(), 1, run.train().numClasses(),
            run.levels(), provenance);
        try (CodeStoreWriter writer = CodeStoreWriter.create(dir.resolve(CODES), header)) {
          writer.append(codes, labels == null ? null : scope.create(labels));
          writer.commit();
        }
        launch.tracking().logArtifact(png, "samples");
        launch.tracking().logMetric("sample/seconds", seconds, 0);
        launch.tracking().logMetric("sample/codes_per_second",
            config.n() * run.levels().stream().mapToDouble(l -> l.height() * (double) l.width()).sum()
                / seconds, 0);
        LOG.info("{} samples ({} sampler, temperature {}, seed {}) in {} s -> {}", config.n(),
            provenance.get("sampler"), config.temperature(), config.seed(),
            String.format("%.1f", seconds), png);
      }
    }
  }

  /**
   * Video: the first {@code min(n, test clips)} test clips, their first {@code context_frames}
   * frames encoded and given, the next {@code future_frames} sampled by the video prior in latent
   * space and decoded ({@link VideoContinuation}); writes {@code samples/strips.png} (per clip its
   * real frames above the generated ones), {@code samples/clips.gif} (real | generated, animated)
   * and {@code samples/codes.vqc} (the continued clips' codes, frames = context + future).
   */
  private static void sampleVideo(Launch launch, RunArtifacts run, List<CodePrior> priors,
      SampleConfig config) throws java.io.IOException {
    if (priors.size() != 1 || !(priors.get(0) instanceof ClipPrior prior)) {
      throw new StageFailure("sampling video needs a one-level model (vqvae) with a video prior"
          + " (prior=video_pixelcnn); this run has " + priors.size() + " level(s) and prior '"
          + launch.section("prior").type() + "'");
    }
    int frames = Math.toIntExact(run.test().itemShape().get(1));
    int given = config.contextFrames();
    int total = given + config.futureFrames();
    if (given < 1 || config.futureFrames() < 1 || total > frames) {
      throw new StageFailure("sample.context_frames = " + given + " and sample.future_frames = "
          + config.futureFrames() + " must both be >= 1 and fit the dataset's " + frames
          + " frames per clip");
    }
    int clips = (int) Math.min(config.n(), run.test().size());
    long[] idx = LongStream.range(0, clips).toArray();
    Path dir = run.run().resolve(RunLayout.SAMPLES);
    try (NDManager scope = run.manager().newSubManager();
        LabeledBatch batch = run.test().batch(scope, idx)) {
      NDArray real = batch.images().get(new NDIndex(":, :, 0:{}", total));
      long started = System.nanoTime();
      VideoContinuation.Result r = VideoContinuation.continueClips(run.model(), prior,
          run.parameters(), real, batch.labels(), given, config.seed(), config.temperature(),
          config.sampler() == SampleConfig.Sampler.PLAIN);
      double seconds = (System.nanoTime() - started) / 1e9;
      Path png = dir.resolve(STRIPS);
      Path gif = dir.resolve(GIF);
      FrameStrips.writePng(png, r.real(), r.generated(), given, run.test().normalization());
      AnimatedGif.write(gif, r.real(), r.generated(), given, run.test().normalization(), GIF_DELAY_MILLIS);
      Map<String, Object> provenance = new LinkedHashMap<>();
      provenance.put("sampler", config.sampler().name().toLowerCase(java.util.Locale.ROOT));
      provenance.put("temperature", config.temperature());
      provenance.put("seed", config.seed());
      provenance.put("context_frames", given);
      provenance.put("future_frames", config.futureFrames());
      provenance.put("test_clips", "0.." + (clips - 1));
      provenance.put("autoencoder", run.checkpoint().toAbsolutePath().toString());
      provenance.put("config", launch.config().render());
      CodeStoreHeader header = new CodeStoreHeader("samples", clips, total, run.test().numClasses(),
          run.levels(), provenance);
      try (CodeStoreWriter writer = CodeStoreWriter.create(dir.resolve(CODES), header)) {
        writer.append(List.of(r.codes()), batch.labels());
        writer.commit();
      }
      launch.tracking().logArtifact(png, "samples");
      launch.tracking().logArtifact(gif, "samples");
      launch.tracking().logMetric("sample/seconds", seconds, 0);
      CodeLevel level = run.levels().get(0);
      launch.tracking().logMetric("sample/codes_per_second",
          (double) clips * config.futureFrames() * level.height() * level.width() / seconds, 0);
      LOG.info("{} test clips: {} frames given, {} generated ({} sampler, temperature {}, seed {})"
          + " in {} s -> {}, {}", clips, given, config.futureFrames(), provenance.get("sampler"),
          config.temperature(), config.seed(), String.format("%.1f", seconds), png, gif);
    }
  }

  /**
   * Codes (n, h, w) per level, top first: level l is drawn with uniforms of seed
   * {@code seed * 1000003 + l}, conditioned on the labels and the codes of level l - 1 (for a
   * residual stage, on the stages before it; see {@link PriorCondition#ofGrid}).
   */
  public static List<NDArray> sample(List<CodePrior> priors, List<CodeLevel> levels, ParameterStore parameters,
      NDManager manager, long[] labels, SampleConfig config) {
    NDArray labelArray = labels == null ? null : manager.create(labels);
    List<NDArray> codes = new ArrayList<>();
    for (int l = 0; l < priors.size(); l++) {
      CodeLevel level = levels.get(l);
      NDArray uniforms = AncestralSampling.uniforms(manager, manager.getDevice(), config.n(),
          level.height(), level.width(), (int) (config.seed() * 1_000_003L + l));
      PriorCondition condition = PriorCondition.ofGrid(labelArray, codes, CodeLevel.stages(levels), l);
      NDArray drawn = config.sampler() == SampleConfig.Sampler.FAST
          ? priors.get(l).sample(parameters, uniforms, condition, config.temperature())
          : AncestralSampling.reference(priors.get(l), parameters, uniforms, condition, config.temperature());
      codes.add(drawn);
    }
    return codes;
  }

  /**
   * The class of each sample: {@code label}, or with -1 row r of the grid ({@code columns} per row)
   * gets class r mod C; null when the data has no classes.
   */
  static long[] labels(SampleConfig config, int numClasses, int columns) {
    if (numClasses == 0) {
      if (config.label() >= 0) {
        throw new StageFailure("sample.label = " + config.label() + " but the dataset has no classes");
      }
      return null;
    }
    if (config.label() >= numClasses) {
      throw new StageFailure("sample.label = " + config.label() + " but the dataset has classes 0.."
          + (numClasses - 1));
    }
    return LongStream.range(0, config.n())
        .map(i -> config.label() >= 0 ? config.label() : (i / columns) % numClasses).toArray();
  }
}
