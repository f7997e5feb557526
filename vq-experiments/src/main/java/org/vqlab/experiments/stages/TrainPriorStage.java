package org.vqlab.experiments.stages;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.codes.CodeBatch;
import org.vqlab.core.codes.CodeLevel;
import org.vqlab.core.codes.CodeStore;
import org.vqlab.core.data.BatchSampler;
import org.vqlab.core.prior.ClipPrior;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.run.RunLayout;
import org.vqlab.core.train.Checkpoints;
import org.vqlab.core.train.Trainer;
import org.vqlab.core.train.TrainerConfig;
import org.vqlab.core.train.TrainingListener;
import org.vqlab.experiments.listeners.CurvesListener;
import org.vqlab.experiments.listeners.ProgressListener;
import org.vqlab.experiments.listeners.TrackingListener;
import org.vqlab.experiments.run.Launch;
import org.vqlab.experiments.run.RunArtifacts;

/**
 * {@code vq train-prior run=<dir>}: trains the prior of every level on the stored codes, top level
 * first (each lower level is conditioned on the codes of the level above, which are in the same
 * store), with the shared {@link Trainer} and the {@code prior.trainer} settings. Checkpoints go to
 * {@code checkpoints/prior/<level>/}; metrics are prefixed {@code prior/<level>/}. At the end each
 * level's best prior is evaluated on the whole test store, next to a unigram baseline and log2 K.
 * Stores of clips (T grids per item) train a video prior ({@link ClipPrior}: each frame given its
 * past, also evaluated without the past) or an image prior on the frames (see {@link PriorTask}).
 */
public final class TrainPriorStage implements Launch.StageBody {
  public static final String NAME = "train-prior";
  private static final Logger LOG = LoggerFactory.getLogger(TrainPriorStage.class);
  private static final double LN2 = Math.log(2);
  private final boolean resume;
  private final boolean requireCheckpoint;

  /** With {@code resume} each level continues from its newest intact checkpoint; one must exist. */
  public TrainPriorStage(boolean resume) {
    this(resume, true);
  }

  /**
   * {@code requireCheckpoint} false lets a resumed pipeline reach this stage before any prior was
   * saved: levels without a checkpoint then start from scratch.
   */
  public TrainPriorStage(boolean resume, boolean requireCheckpoint) {
    this.resume = resume;
    this.requireCheckpoint = requireCheckpoint;
  }

  /** The final numbers of one level's prior, on the test store. */
  public record LevelResult(String level, long step, double bitsPerCode, double natsPerCode,
      double unigramBitsPerCode, double log2K, double bitsPerCodeWithoutPast) {}

  @Override
  public void run(Launch launch) throws Exception {
    TrainerConfig base = RunArtifacts.priorTrainer(launch.config().root());
    long seed = launch.launchConfig().seed();
    try (RunArtifacts run = RunArtifacts.open(launch);
        CodeStore train = openStore(run.run(), "train");
        CodeStore test = openStore(run.run(), "test")) {
      for (CodeStore store : List.of(train, test)) {
        if (!store.header().levels().equals(run.levels())) {
          throw new StageFailure(store.file() + " holds levels " + store.header().levels()
              + " but the run's model has " + run.levels() + ": run `vq encode run=" + run.run() + "` again");
        }
      }
      Object encodedStep = train.header().provenance().get("checkpoint_step");
      if (encodedStep != null && !Objects.equals(((Number) encodedStep).longValue(), run.checkpointStep())) {
        LOG.warn("the codes were encoded with the autoencoder of step {}, the run's is now step {}:"
            + " run `vq encode run={}` to refresh them", encodedStep, run.checkpointStep(), run.run());
      }
      if (resume && requireCheckpoint && !anyCheckpoint(run)) {
        throw new StageFailure("nothing to resume in " + run.run().resolve(RunLayout.PRIOR_CHECKPOINTS)
            + ": no prior checkpoint; start with `vq train-prior run=" + run.run() + "`");
      }
      List<LevelResult> results = new ArrayList<>();
      for (int l = 0; l < run.levels().size(); l++) {
        results.add(trainLevel(launch, run, l, base, seed, train, test));
      }
      for (LevelResult r : results) {
        LOG.info(String.format("prior %s (step %d): test %.4f bits/code (%.4f nats); unigram %.4f"
            + " bits/code; log2 K = %.4f", r.level(), r.step(), r.bitsPerCode(), r.natsPerCode(),
            r.unigramBitsPerCode(), r.log2K()));
        if (!Double.isNaN(r.bitsPerCodeWithoutPast())) {
          LOG.info(String.format("prior %s: test %.4f bits/code given the past, %.4f without it",
              r.level(), r.bitsPerCode(), r.bitsPerCodeWithoutPast()));
        }
      }
    }
  }

  private boolean anyCheckpoint(RunArtifacts run) throws IOException {
    for (int l = 0; l < run.levels().size(); l++) {
      if (new Checkpoints(run.priorCheckpoints(l), Integer.MAX_VALUE).latestIntact().isPresent()) {
        return true;
      }
    }
    return false;
  }

  private LevelResult trainLevel(Launch launch, RunArtifacts run, int l, TrainerConfig base, long seed,
      CodeStore train, CodeStore test) throws IOException {
    CodeLevel level = run.levels().get(l);
    String prefix = "prior/" + level.name() + "/";
    Path dir = run.priorCheckpoints(l);
    if (!resume) {
      // A fresh training replaces an earlier launch's prior of this level.
      deleteTree(dir);
    }
    CodePrior prior = run.newPrior(l);
    boolean clips = train.header().frames() > 1;
    if (prior instanceof ClipPrior && !clips) {
      throw new StageFailure("prior '" + launch.section("prior").type() + "' models clips of codes"
          + " but " + train.file() + " holds images: use a video dataset or an image prior");
    }
    PriorTask task = new PriorTask(prior, l, CodeLevel.stages(run.levels()));
    // Each level its own batch order, a pure function of (run seed, level).
    BatchSampler sampler = new BatchSampler(train.size(), base.batchSize(), seed * 1_000_003L + l + 1, true);
    TrainerConfig config = base.forEpochs(sampler.batchesPerEpoch());
    Path runDir = run.run();
    List<TrainingListener> listeners = List.of(
        new TrackingListener(launch.tracking(), prefix, false),
        new ProgressListener("prior " + level.name()),
        new CurvesListener(runDir, NAME, prefix, launch.tracking(), "prior_" + level.name()));
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("stage", NAME);
    header.put("level", level.name());
    header.put("codes", train.file().toAbsolutePath().toString());
    header.put("config", launch.config().render());
    Trainer<CodeBatch> trainer = new Trainer<>(config, task, train, s -> sampler.batchAtStep(s - 1), test,
        run.manager(), launch.engine(), seed, new Checkpoints(dir, config.keepLast()), header, listeners);
    if (resume) {
      trainer.restoreLatest().ifPresentOrElse(
          from -> LOG.info("prior {}: resuming from {} (step {})", level.name(), from, trainer.step()),
          () -> LOG.info("prior {}: no checkpoint yet, training from the start", level.name()));
    }
    LOG.info("prior {}: K={} grid {}x{}, {} frame(s) per item ({}), {} train / {} test items, {} steps"
        + " of batch {}", level.name(), level.numCodes(), level.height(), level.width(),
        train.header().frames(), prior instanceof ClipPrior ? "each frame given its past"
        : "frames as independent images", train.size(), test.size(), config.maxSteps(),
        config.batchSize());
    Trainer.Result result = trainer.fit();
    if (!result.completed()) {
      String last = trainer.checkpoints().latestIntact().map(Path::toString).orElse("none");
      throw new StageFailure("prior " + level.name() + ": training stopped: " + result.stopReason()
          + "; last good checkpoint: " + last);
    }
    CodePrior best = run.loadPrior(l).orElseThrow(() -> new StageFailure("no intact prior checkpoint in " + dir));
    double nats = testNats(best, l, test, run.manager(), config.batchSize());
    double unigram = unigramBits(train.histogram(l), test.histogram(l));
    double withoutPast = best instanceof ClipPrior clipPrior
        ? testBitsWithoutPast(clipPrior, l, test, run.manager(), config.batchSize()) : Double.NaN;
    LevelResult r = new LevelResult(level.name(), trainer.step(), nats / LN2, nats, unigram,
        Math.log(level.numCodes()) / LN2, withoutPast);
    long now = System.currentTimeMillis();
    launch.tracking().logMetric(prefix + "test/bits_per_code", r.bitsPerCode(), r.step(), now);
    launch.tracking().logMetric(prefix + "test/nats_per_code", r.natsPerCode(), r.step(), now);
    launch.tracking().logMetric(prefix + "unigram_bits_per_code", r.unigramBitsPerCode(), r.step(), now);
    launch.tracking().logMetric(prefix + "log2_k", r.log2K(), r.step(), now);
    if (!Double.isNaN(withoutPast)) {
      launch.tracking().logMetric(prefix + "test/bits_per_code_without_past", withoutPast, r.step(), now);
    }
    return r;
  }

  /** Mean -log p(code) in nats over every code of the whole test store, under {@code prior}. */
  public static double testNats(CodePrior prior, int level, CodeStore test, NDManager manager, int batchSize) {
    PriorTask task = new PriorTask(prior, level, CodeLevel.stages(test.header().levels()));
    ParameterStore parameters = new ParameterStore(manager, false);
    double sum = 0;
    for (long from = 0; from < test.size(); from += batchSize) {
      int n = (int) Math.min(batchSize, test.size() - from);
      long[] idx = new long[n];
      for (int i = 0; i < n; i++) {
        idx[i] = from + i;
      }
      try (NDManager scope = manager.newSubManager(); CodeBatch batch = test.batch(scope, idx)) {
        // Every item has the same number of codes, so item-weighted batch means give the code mean.
        sum += task.forward(parameters, batch, false).loss().getFloat() * (double) n;
      }
    }
    return sum / test.size();
  }

  /**
   * Mean bits per code over the whole test store of every frame with its past replaced by the
   * start: what the video prior knows about a frame without seeing the earlier ones.
   */
  public static double testBitsWithoutPast(ClipPrior prior, int level, CodeStore test, NDManager manager,
      int batchSize) {
    ParameterStore parameters = new ParameterStore(manager, false);
    double sum = 0;
    for (long from = 0; from < test.size(); from += batchSize) {
      int n = (int) Math.min(batchSize, test.size() - from);
      long[] idx = java.util.stream.LongStream.range(from, from + n).toArray();
      try (NDManager scope = manager.newSubManager(); CodeBatch batch = test.batch(scope, idx)) {
        sum += prior.frameBits(parameters, batch.level(level), batch.labels(), false).mean().getFloat()
            * (double) n;
      }
    }
    return sum / test.size();
  }

  /**
   * Bits per code on the test codes of a unigram model of the train codes' frequencies with add-one
   * smoothing: p(k) = (c_k + 1) / (N + K).
   */
  public static double unigramBits(long[] trainCounts, long[] testCounts) {
    double total = 0;
    for (long c : trainCounts) {
      total += c;
    }
    double denominator = total + trainCounts.length;
    double bits = 0;
    double n = 0;
    for (int k = 0; k < testCounts.length; k++) {
      if (testCounts[k] > 0) {
        bits -= testCounts[k] * Math.log((trainCounts[k] + 1) / denominator) / LN2;
        n += testCounts[k];
      }
    }
    return bits / n;
  }

  /** Opens {@code codes/<split>.vqc}, or fails naming the command that writes it. */
  static CodeStore openStore(Path run, String split) throws IOException {
    Path file = RunLayout.codes(run, split);
    try {
      return CodeStore.open(file);
    } catch (NoSuchFileException e) {
      throw new StageFailure("no code store " + file + ": run `vq encode run=" + run + "` first");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
