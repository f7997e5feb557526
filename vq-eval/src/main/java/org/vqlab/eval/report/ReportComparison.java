package org.vqlab.eval.report;

import static org.vqlab.eval.report.ReportNumbers.cell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vqlab.core.metric.MetricValue;

/**
 * Several reports side by side: one row per metric value (in first-seen order), one column per
 * run, named by the experiment name and the run directory (its timestamp); a run without a value
 * leaves its cell empty.
 */
public final class ReportComparison {
  private final List<String> columns = new ArrayList<>();
  private final List<Map<String, MetricValue>> runs = new ArrayList<>();
  private final Map<String, String> units = new LinkedHashMap<>();

  public ReportComparison(List<EvaluationReport> reports) {
    for (EvaluationReport r : reports) {
      columns.add(r.name() + "/" + Path.of(r.run()).getFileName());
      Map<String, MetricValue> values = r.values();
      runs.add(values);
      values.forEach((k, v) -> units.putIfAbsent(k, v.unit()));
    }
  }

  public List<String> columns() {
    return List.copyOf(columns);
  }

  public String markdown() {
    StringBuilder md = new StringBuilder("| metric | unit |");
    columns.forEach(c -> md.append(' ').append(cell(c)).append(" |"));
    md.append("\n|---|---|");
    columns.forEach(c -> md.append("---:|"));
    md.append('\n');
    units.forEach((metric, unit) -> {
      md.append("| ").append(cell(metric)).append(" | ").append(cell(unit)).append(" |");
      for (Map<String, MetricValue> run : runs) {
        MetricValue v = run.get(metric);
        md.append(' ').append(v == null ? "" : ReportNumbers.format(v.value())).append(" |");
      }
      md.append('\n');
    });
    return md.toString();
  }

  /** RFC 4180 CSV with the full precision of each value. */
  public String csv() {
    StringBuilder csv = new StringBuilder("metric,unit");
    columns.forEach(c -> csv.append(',').append(quote(c)));
    csv.append('\n');
    units.forEach((metric, unit) -> {
      csv.append(quote(metric)).append(',').append(quote(unit));
      for (Map<String, MetricValue> run : runs) {
        MetricValue v = run.get(metric);
        csv.append(',').append(v == null ? "" : Double.toString(v.value()));
      }
      csv.append('\n');
    });
    return csv.toString();
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n")
        ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
