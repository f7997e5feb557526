package org.vqlab.eval.figures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.vqlab.eval.report.AtomicFiles;

/** Plots metric histories from {@code metrics.jsonl} as PNG charts (XChart). */
public final class TrainingCurves {
  private TrainingCurves() {}

  /** Loss-like series: totals, reconstruction errors and every *_loss term. */
  public static final Predicate<String> LOSSES =
      n -> n.endsWith("/loss") || n.endsWith("/mse") || n.contains("_loss");
  /** Codebook usage series: perplexity and codes used, per batch and per evaluation pass. */
  public static final Predicate<String> CODEBOOK_USAGE =
      n -> n.contains("perplexity") || n.contains("codes_used");

  /** A metric's history: steps and values in logging order. */
  public record Series(List<Double> steps, List<Double> values) {}

  /** Every metric in a metrics.jsonl file whose name the filter accepts, by name, for one stage. */
  public static Map<String, Series> read(Path metricsJsonl, String stage, Predicate<String> names)
      throws IOException {
    Map<String, Series> out = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader r = Files.newBufferedReader(metricsJsonl, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = json.readTree(line);
        String name = n.get("name").asText();
        if (!names.test(name) || (stage != null && !stage.equals(n.path("stage").asText()))
            || !n.get("value").isNumber()) {
          continue;
        }
        Series s = out.computeIfAbsent(name, k -> new Series(new ArrayList<>(), new ArrayList<>()));
        s.steps().add(n.get("step").asDouble());
        s.values().add(n.get("value").asDouble());
      }
    }
    return out;
  }

  /** Writes one chart with the given series; {@code logY} for losses spanning decades. */
  public static void writePng(Path file, String title, Map<String, Series> series, boolean logY)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("step").build();
    chart.getStyler().setYAxisLogarithmic(logY && series.values().stream()
        .allMatch(s -> s.values().stream().allMatch(v -> v > 0)));
    chart.getStyler().setMarkerSize(3);
    for (Map.Entry<String, Series> e : series.entrySet()) {
      if (e.getValue().steps().isEmpty()) {
        continue;
      }
      XYSeries s = chart.addSeries(e.getKey(), e.getValue().steps(), e.getValue().values());
      s.setMarker(e.getValue().steps().size() > 50 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }
    AtomicFiles.write(file, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(),
        BitmapEncoder.BitmapFormat.PNG), ".png");
  }
}
