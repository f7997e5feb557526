package org.vqlab.eval.metrics;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.metric.EvaluationContext;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.core.metric.MetricValue;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.quantizer.CodebookUsage;
import org.vqlab.core.run.RunLayout;
import org.vqlab.eval.TestBatches;
import org.vqlab.eval.figures.TrainingCurves;
import org.vqlab.eval.figures.UsageHistogram;
import org.vqlab.eval.report.AtomicFiles;

/**
 * Codebook usage per level over the whole evaluated test split: perplexity, codes used, dead
 * codes and the usage histogram (a sorted-usage PNG and the counts as CSV); and usage over
 * training from the evaluation passes the training stage tracked ({@code eval/pass_*}).
 */
public final class CodebookUsageMetric extends TestSplitMetric {
  public static final String NAME = "codebook_usage";
  /** The training stage's tracked series of per-pass usage. */
  static final String PASS_PREFIX = "eval/pass_";

  public CodebookUsageMetric() {
    super(NAME);
  }

  @Override
  protected MetricResult evaluate(EvaluationContext context, Autoencoder model, VqDataset data) {
    if (model.quantizers().isEmpty()) {
      return missing("not applicable: the model has a continuous latent (no codebook)");
    }
    int levels = model.quantizers().size();
    List<String> names = model.codeLevelNames();
    Map<String, MetricValue> values = new LinkedHashMap<>();
    Map<String, String> missingValues = new LinkedHashMap<>();
    List<Path> figures = new ArrayList<>();
    List<CodebookUsage> usage = new ArrayList<>();
    try {
      for (int l = 0; l < levels; l++) {
        usage.add(CodebookUsage.start(model.quantizers().get(l), context.manager()));
      }
      TestBatches.forEach(context, data, (scope, x, labels) -> {
        List<NDArray> codes = model.encodeCodes(context.parameters(), x);
        for (int l = 0; l < levels; l++) {
          usage.get(l).add(codes.get(l));
        }
      });
      Path dir = context.runDirectory().resolve(RunLayout.FIGURES).resolve("eval");
      for (int l = 0; l < levels; l++) {
        String level = names.get(l);
        CodebookUsage.Summary s = usage.get(l).summary();
        int k = s.histogram().length;
        String key = NAME + "/" + level + "/";
        values.put(key + "perplexity", new MetricValue(s.perplexity(), "codes",
            "exp of the entropy of the level's code distribution over the test split (K = " + k
                + " when every code is used equally)"));
        values.put(key + "codes_used", new MetricValue(s.codesUsed(), "codes",
            "codes chosen at least once over the test split, of K = " + k));
        values.put(key + "dead_codes", new MetricValue(s.deadCodes(), "codes",
            "codes never chosen over the test split"));
        values.put(key + "used_fraction", new MetricValue(s.usedFraction(), "",
            "codes used / K"));
        Path png = dir.resolve("codebook_usage_" + level + ".png");
        UsageHistogram.writePng(png, "sorted code usage, level " + level + " (" + s.codesUsed()
            + " of " + k + " codes used, perplexity " + String.format("%.1f", s.perplexity())
            + ")", s.histogram());
        Path csv = dir.resolve("codebook_usage_" + level + ".csv");
        AtomicFiles.write(csv, histogramCsv(s.histogram()).getBytes(
            java.nio.charset.StandardCharsets.UTF_8));
        figures.add(png);
        figures.add(csv);
      }
      overTraining(context, names, dir, values, missingValues, figures);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot evaluate codebook usage", e);
    } finally {
      usage.forEach(CodebookUsage::close);
    }
    return new MetricResult(values, figures, missingValues);
  }

  static String histogramCsv(long[] histogram) {
    StringBuilder b = new StringBuilder("code,count\n");
    for (int i = 0; i < histogram.length; i++) {
      b.append(i).append(',').append(histogram[i]).append('\n');
    }
    return b.toString();
  }

  /** The last tracked evaluation pass of each level, and the usage curves over training. */
  private static void overTraining(EvaluationContext context, List<String> names, Path dir,
      Map<String, MetricValue> values, Map<String, String> missing, List<Path> figures)
      throws IOException {
    Optional<Path> metrics = context.trainingMetrics().filter(Files::isRegularFile);
    if (metrics.isEmpty()) {
      missing.put(NAME + "/training", "no tracked metrics (" + RunLayout.METRICS + ") in the run");
      return;
    }
    Map<String, TrainingCurves.Series> series = TrainingCurves.read(metrics.get(), "train",
        n -> n.startsWith(PASS_PREFIX) && TrainingCurves.CODEBOOK_USAGE.test(n));
    if (series.isEmpty()) {
      missing.put(NAME + "/training", "training tracked no evaluation pass (eval/pass_*)");
      return;
    }
    for (String level : names) {
      TrainingCurves.Series s = series.get(PASS_PREFIX + "perplexity/" + level);
      if (s != null && !s.values().isEmpty()) {
        int last = s.values().size() - 1;
        values.put(NAME + "/" + level + "/training_last_perplexity", new MetricValue(
            s.values().get(last), "codes", "perplexity of the level's codes over the last"
                + " evaluation pass during training (step " + Math.round(s.steps().get(last))
                + ", " + s.values().size() + " passes tracked)"));
      }
    }
    Path png = dir.resolve("codebook_usage_training.png");
    TrainingCurves.writePng(png, "codebook usage over training (evaluation passes)", series, false);
    figures.add(png);
  }
}
