package org.vqlab.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vqlab.core.metric.EvaluationContext;
import org.vqlab.core.metric.Metric;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.core.run.RunLayout;
import org.vqlab.eval.figures.TrainingCurves;
import org.vqlab.eval.report.AtomicFiles;
import org.vqlab.eval.report.EvaluationReport;
import org.vqlab.eval.report.ReportMarkdown;

/**
 * Runs metric plugins on a run and assembles the report: each metric's values and figures, the
 * sample grid of the sampling stage when there is one, and the training curves (losses) from the
 * tracked metrics. A part the run lacks is listed with its reason and everything else is reported.
 */
public final class Evaluation {
  /** Where the sampling stage leaves its grid, relative to the run directory. */
  public static final String SAMPLES = RunLayout.SAMPLES + "/samples.png";
  /** Video: the sampling stage's frame strips and animation (real and generated clips). */
  public static final List<String> VIDEO_SAMPLES = List.of(RunLayout.SAMPLES + "/strips.png",
      RunLayout.SAMPLES + "/clips.gif");
  /** The training losses plotted for the report. */
  public static final String LOSS_CURVES = RunLayout.FIGURES + "/eval/training_losses.png";

  private Evaluation() {}

  /**
   * Evaluates {@code metrics} in order. {@code evaluation} holds the settings to record (batch
   * size, items, seed, ...); {@code config} and {@code provenance} are copied into the report.
   */
  public static EvaluationReport run(EvaluationContext context, List<Metric> metrics, String name,
      Map<String, Object> evaluation, JsonNode config, JsonNode provenance) throws IOException {
    Path run = context.runDirectory();
    Map<String, MetricResult> results = new LinkedHashMap<>();
    List<String> figures = new ArrayList<>();
    for (Metric metric : metrics) {
      MetricResult r = metric.evaluate(context);
      List<Path> relative = r.figures().stream().map(f -> relativize(run, f)).toList();
      relative.forEach(f -> figures.add(f.toString()));
      results.put(metric.name(), new MetricResult(r.values(), relative, r.missing()));
    }
    Map<String, String> missing = new LinkedHashMap<>(context.missing());
    List<String> video = VIDEO_SAMPLES.stream().filter(f -> Files.isRegularFile(run.resolve(f))).toList();
    if (Files.isRegularFile(run.resolve(SAMPLES))) {
      figures.add(SAMPLES);
    } else if (!video.isEmpty()) {
      figures.addAll(video);
    } else if (context.model().map(m -> m.quantizers().isEmpty()
        && !(m instanceof org.vqlab.core.model.LatentPriorSampling)).orElse(false)) {
      missing.put("samples", "not applicable: the model has a continuous latent without a prior of"
          + " its own to sample from");
    } else {
      missing.put("samples", "no " + SAMPLES + ": run `vq sample run=" + run + "`");
    }
    Optional<Path> metricsFile = context.trainingMetrics().filter(Files::isRegularFile);
    Map<String, TrainingCurves.Series> losses = metricsFile.isEmpty() ? Map.of()
        : TrainingCurves.read(metricsFile.get(), "train", TrainingCurves.PLOTTED);
    if (losses.keySet().stream().anyMatch(TrainingCurves.LOSSES)) {
      TrainingCurves.writePanels(run.resolve(LOSS_CURVES), "training", losses);
      figures.add(LOSS_CURVES);
    } else {
      missing.put("training_curves", "no training losses tracked in " + RunLayout.METRICS);
    }
    return new EvaluationReport(name, run.toAbsolutePath().toString(), Instant.now().toString(),
        evaluation, results, missing, figures, config, provenance);
  }

  /** Writes report.json and report.md into the run directory, each atomically. */
  public static void write(EvaluationReport report, Path run) throws IOException {
    AtomicFiles.write(run.resolve(RunLayout.REPORT_JSON), report.toJsonBytes());
    AtomicFiles.write(run.resolve(RunLayout.REPORT_MD),
        ReportMarkdown.render(report).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A figure's path relative to the run directory. A metric returns the path it wrote to, which
   * is relative to the working directory when the run directory is (the default output_dir).
   */
  private static Path relativize(Path run, Path figure) {
    return run.toAbsolutePath().normalize().relativize(figure.toAbsolutePath().normalize());
  }
}
