package org.vqlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real launch (`vq prepare` on Fashion-MNIST) and what its run directory holds. */
class RunDirectoryTest {
  @TempDir
  Path out;

  @Test
  void prepareWritesTheRunDirectory() throws Exception {
    VqRun r = VqRun.of("prepare", "name=rundir_test", "output_dir=" + out, "seed=11");
    assertEquals(0, r.exitCode(), r.err());
    Path runs = out.resolve("rundir_test");
    Path run;
    try (Stream<Path> s = Files.list(runs)) {
      run = s.findFirst().orElseThrow();
    }
    assertTrue(run.getFileName().toString().matches("\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d"), run.toString());

    Config config = ConfigFactory.parseFile(run.resolve("config.conf").toFile());
    assertEquals(11, config.getInt("seed"));
    assertEquals("rundir_test", config.getString("name"));
    assertEquals("fashion_mnist", config.getString("dataset.type"));

    assertEquals(List.of("name=rundir_test", "output_dir=" + out, "seed=11"),
        Files.readAllLines(run.resolve("overrides.txt")));

    JsonNode p = new ObjectMapper().readTree(run.resolve("provenance.json").toFile());
    assertEquals(11, p.get("seed").asInt());
    assertEquals("FINISHED", p.get("status").asText());
    assertEquals("cpu()", p.get("device").asText());
    assertEquals("0.35.1", p.get("versions").get("djl").asText());
    assertEquals("2.7.1", p.get("versions").get("pytorch").asText());
    assertTrue(p.get("versions").get("java").asText().startsWith("17"), p.toString());
    assertNotNull(p.get("start_time").asText());
    assertTrue(p.get("end_time").asText().compareTo(p.get("start_time").asText()) >= 0);
    assertEquals("prepare", p.get("command_line").get(1).asText());

    List<JsonNode> metrics = Files.readAllLines(run.resolve("metrics.jsonl")).stream()
        .map(l -> { try { return new ObjectMapper().readTree(l); } catch (Exception e) { throw new RuntimeException(e); } })
        .toList();
    JsonNode size = metrics.stream().filter(m -> m.get("name").asText().equals("dataset/train/size")).findFirst().orElseThrow();
    assertEquals(60000.0, size.get("value").asDouble());
    assertEquals("prepare", size.get("stage").asText());
    assertTrue(size.get("wall_time").asDouble() > 1.6e9);
    assertTrue(Files.readString(run.resolve("log.txt")).contains("stage prepare ended FINISHED"));
  }

  @Test
  void configErrorCreatesNoRunDirectory() {
    VqRun r = VqRun.of("prepare", "name=bad_run", "output_dir=" + out, "seed=notanumber");
    assertEquals(Vq.CONFIG_ERROR, r.exitCode());
    assertTrue(r.err().contains("'seed'"), r.err());
    assertTrue(!Files.exists(out.resolve("bad_run")));
  }
}
