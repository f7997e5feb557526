package org.vqlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vq compare` on two handmade report.json files. */
class CompareCommandTest {
  @TempDir
  Path dir;

  private Path report(String stamp, String name, String values) throws Exception {
    Path run = Files.createDirectories(dir.resolve(name).resolve(stamp));
    Files.writeString(run.resolve("report.json"), """
        {"format": "vqlab-report/1", "name": "%s", "run": "%s", "created": "2026-01-01T00:00:00Z",
         "evaluation": {}, "metrics": {"bits_per_dim": {"values": {%s}, "missing": {},
         "figures": []}}, "missing": {}, "figures": [], "config": null, "provenance": null}
        """.formatted(name, run, values));
    return run;
  }

  @Test
  void tabulatesTwoReportsAsMarkdownAndCsv() throws Exception {
    Path a = report("2026-01-01_09-00-00", "ema", """
        "bits_per_dim/total": {"value": 2.875, "unit": "bits/dim", "definition": "d"},
        "bits_per_dim/items": {"value": 10000, "unit": "images", "definition": "n"}""");
    Path b = report("2026-01-02_09-00-00", "standard", """
        "bits_per_dim/total": {"value": 3.0123456, "unit": "bits/dim", "definition": "d"},
        "bits_per_dim/prior": {"value": 0.5, "unit": "bits/dim", "definition": "p"}""");
    Path prefix = dir.resolve("out/table");
    VqRun r = VqRun.of("compare", a.toString(), b.toString(), "--out", prefix.toString());
    assertEquals(0, r.exitCode(), r.err());
    String md = """
        | metric | unit | ema/2026-01-01_09-00-00 | standard/2026-01-02_09-00-00 |
        |---|---|---:|---:|
        | bits_per_dim/total | bits/dim | 2.8750 | 3.0123 |
        | bits_per_dim/items | images | 10000 |  |
        | bits_per_dim/prior | bits/dim |  | 0.5000 |
        """;
    assertEquals(md, Files.readString(dir.resolve("out/table.md")));
    assertTrue(r.out().startsWith(md), r.out());
    assertEquals("""
        metric,unit,ema/2026-01-01_09-00-00,standard/2026-01-02_09-00-00
        bits_per_dim/total,bits/dim,2.875,3.0123456
        bits_per_dim/items,images,10000.0,
        bits_per_dim/prior,bits/dim,,0.5
        """, Files.readString(dir.resolve("out/table.csv")));
  }

  @Test
  void aRunWithoutAReportIsNamedWithTheCommandToMakeIt() throws Exception {
    Path a = report("2026-01-01_09-00-00", "ema", "");
    Path bare = Files.createDirectories(dir.resolve("bare"));
    VqRun r = VqRun.of("compare", a.toString(), bare.toString());
    assertEquals(Vq.CONFIG_ERROR, r.exitCode());
    assertTrue(r.err().contains(bare + " has no report.json: run `vq eval run=" + bare + "`"),
        r.err());
  }
}
