package org.vqlab.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.core.metric.MetricValue;
import org.vqlab.eval.Evaluation;

/** report.json reads back to the same values; report.md tabulates them with the missing parts. */
class ReportRoundTripTest {
  @TempDir
  Path run;

  static EvaluationReport sample(Path run, String name, double total, double psnr) throws Exception {
    Map<String, MetricResult> metrics = new LinkedHashMap<>();
    Map<String, MetricValue> bits = new LinkedHashMap<>();
    bits.put("bits_per_dim/reconstruction", new MetricValue(total - 0.5, "bits/dim", "-log p(x|z)"));
    bits.put("bits_per_dim/uniform_prior_total", new MetricValue(total + 0.25, "bits/dim",
        "with log K per code, a | pipe"));
    metrics.put("bits_per_dim", new MetricResult(bits, List.of(),
        Map.of("bits_per_dim/total", "needs the prior of every level; missing: bottom")));
    metrics.put("reconstruction", new MetricResult(Map.of("reconstruction/psnr",
        new MetricValue(psnr, "dB", "10 log10(1 / MSE)")),
        List.of(Path.of("figures/eval/reconstructions.png")), Map.of()));
    ObjectMapper json = new ObjectMapper();
    return new EvaluationReport(name, run.toString(), "2026-01-01T00:00:00Z",
        Map.of("items", 1000, "batch_size", 128), metrics,
        Map.of("prior/bottom", "no trained prior: run `vq train-prior run=" + run + "`"),
        List.of("figures/eval/reconstructions.png"), json.readTree("{\"seed\": 0}"),
        json.readTree("{\"git_commit\": \"abc123\", \"versions\": {\"djl\": \"0.35.1\"}}"));
  }

  @Test
  void jsonRoundTripKeepsEveryNumberAndReason() throws Exception {
    EvaluationReport report = sample(run, "default", 3.2512345678901, Double.NaN);
    Evaluation.write(report, run);
    EvaluationReport back = EvaluationReport.read(run.resolve("report.json"));
    assertEquals(report.values(), back.values());
    assertEquals(report.metrics().get("bits_per_dim").missing(),
        back.metrics().get("bits_per_dim").missing());
    assertEquals(report.missing(), back.missing());
    assertEquals(report.figures(), back.figures());
    assertEquals(report.metrics().get("reconstruction").figures(),
        back.metrics().get("reconstruction").figures());
    assertEquals(1000, ((Number) back.evaluation().get("items")).intValue());
    assertEquals("abc123", back.provenance().get("git_commit").asText());
    assertEquals(0, back.config().get("seed").asInt());
    // No temporary files are left beside the report.
    try (var files = Files.list(run)) {
      assertEquals(List.of("report.json", "report.md"), files.map(p -> p.getFileName().toString())
          .sorted().toList());
    }
  }

  @Test
  void markdownHasATablePerFamilyTheMissingPartsAndTheFigures() throws Exception {
    String md = ReportMarkdown.render(sample(run, "default", 3.25, 24.5));
    assertTrue(md.contains("## Bits per dimension\n\n| metric | value | unit | definition |"), md);
    assertTrue(md.contains("| bits_per_dim/reconstruction | 2.7500 | bits/dim | -log p(x\\|z) |"), md);
    assertTrue(md.contains("| bits_per_dim/uniform_prior_total | 3.5000 | bits/dim |"
        + " with log K per code, a \\| pipe |"), md);
    assertTrue(md.contains("- `bits_per_dim/total`: needs the prior of every level; missing: bottom"),
        md);
    assertTrue(md.contains("- **prior/bottom**: no trained prior: run `vq train-prior run="), md);
    assertTrue(md.contains("| reconstruction/psnr | 24.5000 | dB |"), md);
    assertTrue(md.contains("![figures/eval/reconstructions.png](figures/eval/reconstructions.png)"),
        md);
    assertTrue(md.contains("- git_commit: abc123"), md);
  }

  @Test
  void figuresOfARelativeRunDirectoryAreLinkedRelativeToTheReport() throws Exception {
    // The default output_dir (outputs) is relative: metrics write to <relative run>/figures/...
    Path relative = Path.of("target", "relative-runs", java.util.UUID.randomUUID().toString());
    assertTrue(!relative.isAbsolute());
    Files.createDirectories(relative.resolve("samples"));
    Files.write(relative.resolve("samples/samples.png"), new byte[] {1});
    org.vqlab.core.metric.Metric writesAFigure = new org.vqlab.core.metric.Metric() {
      @Override
      public String name() {
        return "reconstruction";
      }

      @Override
      public MetricResult evaluate(org.vqlab.core.metric.EvaluationContext context) {
        Path png = context.runDirectory().resolve("figures/eval/reconstructions.png");
        try {
          Files.createDirectories(png.getParent());
          Files.write(png, new byte[] {1});
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return new MetricResult(Map.of(), List.of(png), Map.of());
      }
    };
    org.vqlab.eval.RunEvaluation context = new org.vqlab.eval.RunEvaluation(relative, null, null,
        java.util.Optional.empty(), java.util.Optional.empty(), List.of(), java.util.Optional.empty(),
        1, 1, 0, Map.of());
    EvaluationReport report = Evaluation.run(context, List.of(writesAFigure), "default", Map.of(),
        null, null);
    assertEquals(List.of("figures/eval/reconstructions.png", "samples/samples.png"), report.figures());
    assertEquals(List.of(Path.of("figures/eval/reconstructions.png")),
        report.metrics().get("reconstruction").figures());
    String md = ReportMarkdown.render(report);
    assertTrue(md.contains("![figures/eval/reconstructions.png](figures/eval/reconstructions.png)"), md);
    assertTrue(md.contains("![samples/samples.png](samples/samples.png)"), md);
    // Every link of the report resolves from the run directory.
    java.util.regex.Matcher links = java.util.regex.Pattern.compile("\\]\\(([^)]+)\\)").matcher(md);
    int count = 0;
    while (links.find()) {
      assertTrue(Files.isRegularFile(relative.resolve(links.group(1))), links.group(1));
      count++;
    }
    assertEquals(2, count);
  }

  @Test
  void comparisonTabulatesRunsSideBySide() throws Exception {
    Path a = Files.createDirectories(run.resolve("2026-01-01_10-00-00"));
    Path b = Files.createDirectories(run.resolve("2026-01-02_10-00-00"));
    EvaluationReport first = sample(a, "ema", 3.25, 24.5);
    // The second run lacks the PSNR: its cell stays empty.
    EvaluationReport second = new EvaluationReport("standard", b.toString(), "x", Map.of(),
        Map.of("bits_per_dim", sample(b, "standard", 4.0, 0).metrics().get("bits_per_dim")),
        Map.of(), List.of(), null, null);
    ReportComparison c = new ReportComparison(List.of(first, second));
    assertEquals("""
        | metric | unit | ema/2026-01-01_10-00-00 | standard/2026-01-02_10-00-00 |
        |---|---|---:|---:|
        | bits_per_dim/reconstruction | bits/dim | 2.7500 | 3.5000 |
        | bits_per_dim/uniform_prior_total | bits/dim | 3.5000 | 4.2500 |
        | reconstruction/psnr | dB | 24.5000 |  |
        """, c.markdown());
    assertEquals("""
        metric,unit,ema/2026-01-01_10-00-00,standard/2026-01-02_10-00-00
        bits_per_dim/reconstruction,bits/dim,2.75,3.5
        bits_per_dim/uniform_prior_total,bits/dim,3.5,4.25
        reconstruction/psnr,dB,24.5,
        """, c.csv());
  }
}
