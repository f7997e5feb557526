package org.vqlab.eval.report;

import static org.vqlab.eval.report.ReportNumbers.cell;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.core.metric.MetricValue;

/** report.md: one table per metric family, what is missing, the figures, and the provenance. */
public final class ReportMarkdown {
  private static final Map<String, String> TITLES = Map.of(
      "bits_per_dim", "Bits per dimension",
      "reconstruction", "Reconstruction",
      "codebook_usage", "Codebook usage");

  private ReportMarkdown() {}

  public static String render(EvaluationReport report) {
    StringBuilder md = new StringBuilder();
    md.append("# Evaluation report: ").append(report.name()).append(" (")
        .append(Path.of(report.run()).getFileName()).append(")\n\n");
    md.append("- run: `").append(report.run()).append("`\n");
    md.append("- created: ").append(report.created()).append('\n');
    report.evaluation().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v)
        .append('\n'));
    if (!report.missing().isEmpty()) {
      md.append("\n## Missing parts of the run\n\n");
      report.missing().forEach((part, reason) -> md.append("- **").append(part).append("**: ")
          .append(reason).append('\n'));
    }
    report.metrics().forEach((metric, result) -> section(md, metric, result));
    java.util.Set<String> shown = new java.util.HashSet<>();
    report.metrics().values().forEach(r -> r.figures().forEach(f -> shown.add(f.toString())));
    java.util.List<String> runFigures = report.figures().stream().filter(f -> !shown.contains(f))
        .toList();
    if (!runFigures.isEmpty()) {
      md.append("\n## Samples and training curves\n\n");
      runFigures.forEach(f -> figure(md, f));
    }
    JsonNode p = report.provenance();
    if (p != null && !p.isNull()) {
      md.append("\n## Provenance\n\n");
      for (String key : new String[] {"command", "git_commit", "seed", "device", "host", "start_time",
          "end_time", "status"}) {
        if (p.hasNonNull(key)) {
          md.append("- ").append(key).append(": ").append(p.get(key).asText()).append('\n');
        }
      }
      p.path("versions").fields().forEachRemaining(e -> md.append("- version of ")
          .append(e.getKey()).append(": ").append(e.getValue().asText()).append('\n'));
    }
    md.append("\nThe resolved config and the full provenance are in report.json.\n");
    return md.toString();
  }

  private static void section(StringBuilder md, String metric, MetricResult result) {
    md.append("\n## ").append(TITLES.getOrDefault(metric, metric)).append("\n\n");
    if (!result.values().isEmpty()) {
      md.append("| metric | value | unit | definition |\n|---|---:|---|---|\n");
      for (Map.Entry<String, MetricValue> e : result.values().entrySet()) {
        MetricValue v = e.getValue();
        md.append("| ").append(cell(e.getKey())).append(" | ").append(ReportNumbers.format(v.value()))
            .append(" | ").append(cell(v.unit())).append(" | ").append(cell(v.definition()))
            .append(" |\n");
      }
    }
    if (!result.missing().isEmpty()) {
      md.append("\nNot computed:\n\n");
      result.missing().forEach((k, reason) -> md.append("- `").append(k).append("`: ")
          .append(reason).append('\n'));
    }
    if (!result.figures().isEmpty()) {
      md.append('\n');
      result.figures().forEach(f -> figure(md, f.toString()));
    }
  }

  /** A PNG is embedded, any other file linked; paths are relative to the run directory. */
  private static void figure(StringBuilder md, String path) {
    if (path.endsWith(".png")) {
      md.append("![").append(path).append("](").append(path).append(")\n\n");
    } else {
      md.append("- data: [").append(path).append("](").append(path).append(")\n\n");
    }
  }
}
