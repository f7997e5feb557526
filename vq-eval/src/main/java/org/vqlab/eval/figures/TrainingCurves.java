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

  /** One panel of the training figure: the quantities it plots, by metric name. */
  public record Panel(String title, Predicate<String> accepts) {}

  /**
   * The training figure's panels, in order; each metric goes to the first panel that accepts it,
   * so that small terms are not flattened onto zero by the total loss.
   */
  public static final List<Panel> PANELS = List.of(
      new Panel("codebook and commitment losses",
          n -> n.contains("codebook_loss") || n.contains("commitment_loss")),
      new Panel("perplexity and codes used", CODEBOOK_USAGE),
      new Panel("learning rate and gradient norm",
          n -> n.endsWith("/learning_rate") || n.endsWith("/grad_norm")),
      new Panel("total and reconstruction losses", LOSSES));
  /** The order the panels are drawn in: total and reconstruction first. */
  private static final List<String> DRAW_ORDER = List.of("total and reconstruction losses",
      "codebook and commitment losses", "perplexity and codes used", "learning rate and gradient norm");
  /** A panel's values span decades when its largest is at least this times its smallest. */
  static final double LOG_SPAN = 100;
  private static final int PANEL_WIDTH = 700;
  private static final int PANEL_HEIGHT = 420;

  /** Every metric any panel plots. */
  public static final Predicate<String> PLOTTED = n -> PANELS.stream().anyMatch(p -> p.accepts().test(n));

  /** The series grouped into panels, in drawing order; empty panels are left out. */
  public static Map<String, Map<String, Series>> panels(Map<String, Series> series) {
    Map<String, Map<String, Series>> byTitle = new LinkedHashMap<>();
    DRAW_ORDER.forEach(t -> byTitle.put(t, new LinkedHashMap<>()));
    series.forEach((name, s) -> PANELS.stream().filter(p -> p.accepts().test(name)).findFirst()
        .ifPresent(p -> byTitle.get(p.title()).put(name, s)));
    byTitle.values().removeIf(Map::isEmpty);
    return byTitle;
  }

  /** Log scale when every value is positive and they span decades ({@value #LOG_SPAN} x or more). */
  public static boolean logScale(Map<String, Series> series) {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (Series s : series.values()) {
      for (double v : s.values()) {
        if (!(v > 0)) {
          return false;
        }
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return max > 0 && max / min >= LOG_SPAN;
  }

  /**
   * The training figure: one panel per quantity group (two per row), each on a log scale when its
   * values span decades; evaluation series are dashed with markers, training series solid lines.
   */
  public static void writePanels(Path file, String title, Map<String, Series> series) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, Map<String, Series>> panels = panels(series);
    List<java.awt.image.BufferedImage> images = new ArrayList<>();
    for (Map.Entry<String, Map<String, Series>> panel : panels.entrySet()) {
      XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
          .title(title + ": " + panel.getKey()).xAxisTitle("step").build();
      chart.getStyler().setYAxisLogarithmic(logScale(panel.getValue()));
      chart.getStyler().setMarkerSize(4);
      for (Map.Entry<String, Series> e : panel.getValue().entrySet()) {
        if (e.getValue().steps().isEmpty()) {
          continue;
        }
        XYSeries s = chart.addSeries(e.getKey(), e.getValue().steps(), e.getValue().values());
        boolean eval = isEval(e.getKey());
        s.setLineStyle(eval ? org.knowm.xchart.style.lines.SeriesLines.DASH_DASH
            : org.knowm.xchart.style.lines.SeriesLines.SOLID);
        s.setMarker(eval || e.getValue().steps().size() <= 50 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
      }
      images.add(BitmapEncoder.getBufferedImage(chart));
    }
    int columns = Math.min(2, Math.max(1, images.size()));
    int rows = Math.max(1, (images.size() + columns - 1) / columns);
    java.awt.image.BufferedImage sheet = new java.awt.image.BufferedImage(columns * PANEL_WIDTH,
        rows * PANEL_HEIGHT, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = sheet.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
    for (int i = 0; i < images.size(); i++) {
      g.drawImage(images.get(i), (i % columns) * PANEL_WIDTH, (i / columns) * PANEL_HEIGHT, null);
    }
    g.dispose();
    AtomicFiles.write(file, tmp -> javax.imageio.ImageIO.write(sheet, "png", tmp.toFile()), ".png");
  }

  /** An evaluation series ({@code eval/...} or {@code .../eval/...}) rather than a training one. */
  static boolean isEval(String name) {
    return name.startsWith("eval/") || name.contains("/eval/");
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
