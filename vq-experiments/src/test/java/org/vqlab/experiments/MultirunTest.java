package org.vqlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep of a cheap command in separate JVMs, with a deliberately failing job. */
class MultirunTest {
  @TempDir
  Path tmp;

  @Test
  void sweepRunsCartesianProductAndReportsFailures() throws Exception {
    Path root = tmp.resolve("multirun");
    VqRun r = VqRun.of("prepare", "-m", "--multirun-dir=" + root, "quantizer=standard,ema",
        "seed=1,oops,3", "launcher.parallelism=2", "output_dir=" + tmp.resolve("outputs"));
    // Two of the six jobs fail (seed=oops): the sweep reports it and exits 1.
    assertEquals(1, r.exitCode(), r.out() + r.err());
    Path sweep;
    try (Stream<Path> s = Files.list(root)) {
      sweep = s.findFirst().orElseThrow();
    }
    List<String> csv = Files.readAllLines(sweep.resolve("summary.csv"));
    assertEquals(7, csv.size(), String.join("\n", csv));
    assertTrue(csv.get(0).startsWith("job,overrides,status,seconds,error"), csv.get(0));
    for (int job = 0; job < 6; job++) {
      String row = csv.get(job + 1);
      boolean bad = job == 1 || job == 4;
      assertTrue(row.startsWith(job + ","), row);
      assertTrue(row.contains(bad ? "failed (exit 2)" : ",ok,"), row);
      if (bad) {
        assertTrue(row.contains("seed"), row);
      } else {
        // The final metrics of the job are in its row: Fashion-MNIST has 60000 training images.
        assertTrue(row.contains("60000"), row);
        Path dir = sweep.resolve(Integer.toString(job));
        assertEquals(job < 3 ? "standard" : "ema",
            ConfigFactory.parseFile(dir.resolve("config.conf").toFile()).getString("quantizer.type"));
        assertTrue(Files.exists(dir.resolve("provenance.json")));
      }
    }
    assertTrue(csv.get(1).contains("quantizer=standard seed=1"), csv.get(1));
    assertTrue(csv.get(6).contains("quantizer=ema seed=3"), csv.get(6));
    String md = Files.readString(sweep.resolve("summary.md"));
    assertTrue(md.startsWith("| job | overrides | status |"), md);
    assertEquals(8, md.lines().count(), md);
  }
}
