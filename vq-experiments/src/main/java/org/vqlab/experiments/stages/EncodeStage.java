package org.vqlab.experiments.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.codes.CodeLevel;
import org.vqlab.core.codes.CodeStore;
import org.vqlab.core.codes.CodeStoreHeader;
import org.vqlab.core.codes.CodeStoreWriter;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.engine.Versions;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.run.RunLayout;
import org.vqlab.core.train.TrainerConfig;
import org.vqlab.experiments.run.Launch;
import org.vqlab.experiments.run.RunArtifacts;

/**
 * {@code vq encode run=<dir>}: encodes the train and test splits with the run's trained autoencoder
 * into {@code codes/<split>.vqc} (format: {@link org.vqlab.core.codes.CodeStoreFormat}), streaming
 * one batch at a time. Clips (B, C, T, H, W) are encoded frame by frame: T is folded into the batch
 * and each item stores T grids. A store is replaced only once it is complete.
 */
public final class EncodeStage implements Launch.StageBody {
  public static final String NAME = "encode";
  private static final Logger LOG = LoggerFactory.getLogger(EncodeStage.class);

  @Override
  public void run(Launch launch) throws Exception {
    int batchSize = launch.section("trainer").bind(TrainerConfig.class).batchSize();
    try (RunArtifacts run = RunArtifacts.open(launch)) {
      if (run.levels().isEmpty()) {
        throw new StageFailure("the model '" + launch.section("model").type()
            + "' has no discrete codes: vq encode needs a vector-quantised model (vqvae, vqvae2)");
      }
      Map<String, Object> provenance = new LinkedHashMap<>();
      provenance.put("checkpoint", run.checkpoint().toAbsolutePath().toString());
      provenance.put("checkpoint_step", run.checkpointStep());
      provenance.put("dataset", launch.section("dataset").type());
      provenance.put("created", Instant.now().toString());
      provenance.put("versions", Versions.all(launch.engine()));
      provenance.put("config", launch.config().render());
      LOG.info("encoding with {} (step {}); levels {}", run.checkpoint(), run.checkpointStep(),
          run.levels());
      for (VqDataset split : List.of(run.train(), run.test())) {
        encode(run, split, RunLayout.codes(run.run(), split.split().name().toLowerCase(java.util.Locale.ROOT)),
            batchSize, provenance, launch);
      }
    }
  }

  /** Encodes one split into {@code target}; returns the committed store's path. */
  static Path encode(RunArtifacts run, VqDataset data, Path target, int batchSize,
      Map<String, Object> provenance, Launch launch) throws IOException {
    Shape item = data.itemShape();
    int frames = item.dimension() == 4 ? Math.toIntExact(item.get(1)) : 1;
    String split = data.split().name().toLowerCase(java.util.Locale.ROOT);
    CodeStoreHeader header = new CodeStoreHeader(split, data.size(), frames, data.numClasses(),
        run.levels(), provenance);
    Autoencoder model = run.model();
    long started = System.nanoTime();
    try (CodeStoreWriter writer = CodeStoreWriter.create(target, header);
        ProgressBar bar = new ProgressBarBuilder().setTaskName("encode " + split)
            .setInitialMax(data.size()).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000)
            .showSpeed().build()) {
      for (long from = 0; from < data.size(); from += batchSize) {
        int n = (int) Math.min(batchSize, data.size() - from);
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) {
          idx[i] = from + i;
        }
        try (NDManager scope = run.manager().newSubManager();
            LabeledBatch batch = data.batch(scope, idx)) {
          writer.append(codes(model, run, batch.images(), frames), batch.labels());
        }
        bar.stepBy(n);
      }
      writer.commit();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long bytes = Files.size(target);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("encode/" + split + "/file_bytes", (double) bytes);
    metrics.put("encode/" + split + "/seconds", seconds);
    try (CodeStore store = CodeStore.open(target)) {
      List<String> used = new ArrayList<>();
      for (int l = 0; l < run.levels().size(); l++) {
        CodeLevel level = run.levels().get(l);
        long[] counts = store.histogram(l);
        long nonZero = java.util.Arrays.stream(counts).filter(c -> c > 0).count();
        metrics.put("encode/" + split + "/codes_used/" + level.name(), (double) nonZero);
        metrics.put("encode/" + split + "/perplexity/" + level.name(), perplexity(counts));
        used.add(String.format("%s %d/%d (perplexity %.1f)", level.name(), nonZero, level.numCodes(),
            perplexity(counts)));
      }
      LOG.info("codes/{}.vqc: {} items, {} bytes ({} per item), {} s; codes used: {}", split,
          store.size(), bytes, header.recordBytes(), String.format("%.1f", seconds),
          String.join(", ", used));
    }
    long now = System.currentTimeMillis();
    metrics.forEach((k, v) -> launch.tracking().logMetric(k, v, 0, now));
    return target;
  }

  /**
   * The codes of a batch, top level first: (B, h, w) per level for images; for clips (B, C, T, H, W)
   * the frames are encoded as one batch of B * T images and each level is reshaped to (B, T, h, w).
   */
  public static List<NDArray> codes(Autoencoder model, RunArtifacts run, NDArray images, int frames) {
    if (frames == 1 && images.getShape().dimension() == 4) {
      return model.encodeCodes(run.parameters(), images);
    }
    Shape s = images.getShape();
    long b = s.get(0);
    NDArray flat = images.transpose(0, 2, 1, 3, 4).reshape(b * s.get(2), s.get(1), s.get(3), s.get(4));
    List<NDArray> out = new ArrayList<>();
    for (NDArray level : model.encodeCodes(run.parameters(), flat)) {
      Shape g = level.getShape();
      out.add(level.reshape(b, s.get(2), g.get(1), g.get(2)));
    }
    return out;
  }

  /** exp of the entropy of the code frequencies: the effective number of codes in use. */
  static double perplexity(long[] counts) {
    double total = java.util.Arrays.stream(counts).sum();
    double h = 0;
    for (long c : counts) {
      if (c > 0) {
        double p = c / total;
        h -= p * Math.log(p);
      }
    }
    return Math.exp(h);
  }
}
