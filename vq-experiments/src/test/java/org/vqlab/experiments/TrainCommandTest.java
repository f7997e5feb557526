package org.vqlab.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vq train` end to end on real Fashion-MNIST at a tiny size. */
class TrainCommandTest {
  @TempDir
  Path out;

  /** A small model and budget: seconds per run on two cores. */
  private List<String> args(String name, int steps, String... more) {
    List<String> a = new ArrayList<>(List.of("train", "name=" + name, "output_dir=" + out,
        "dataset.subset=512", "model.channels=16", "model.residual_channels=8",
        "quantizer.num_codes=32", "quantizer.code_dim=8", "trainer.batch_size=32",
        "trainer.max_steps=" + steps, "trainer.eval_every=4", "trainer.eval_batches=2",
        "trainer.log_every=2", "trainer.checkpoint_every=4", "trainer.device=cpu"));
    a.addAll(List.of(more));
    return a;
  }

  private Path onlyRun(String name) throws IOException {
    try (Stream<Path> s = Files.list(out.resolve(name))) {
      return s.findFirst().orElseThrow();
    }
  }

  @Test
  void trainWritesCheckpointsFiguresAndMetrics() throws Exception {
    VqRun r = VqRun.of(args("train_smoke", 8).toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.err());
    Path run = onlyRun("train_smoke");
    assertTrue(Files.exists(run.resolve("checkpoints/train/step-00000008.ckpt")));
    assertTrue(Files.exists(run.resolve("checkpoints/train/best.ckpt")));
    assertTrue(Files.size(run.resolve("figures/reconstructions/step-00000004.png")) > 100);
    assertTrue(Files.size(run.resolve("figures/train_losses.png")) > 1000);
    assertTrue(Files.size(run.resolve("figures/train_codebook_usage.png")) > 1000);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> metrics = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      metrics.add(json.readTree(line));
    }
    // Logged at steps 1, 2, 4, 6, 8; evaluated at 4 and 8 with codebook usage over the pass.
    assertEquals(List.of(1L, 2L, 4L, 6L, 8L), metrics.stream().filter(m -> m.get("name").asText().equals("train/loss"))
        .map(m -> m.get("step").asLong()).toList());
    JsonNode used = metrics.stream().filter(m -> m.get("name").asText().equals("eval/pass_codes_used/bottom"))
        .reduce((a, b) -> b).orElseThrow();
    assertEquals(8, used.get("step").asLong());
    assertTrue(used.get("value").asDouble() >= 1 && used.get("value").asDouble() <= 32, used.toString());
    JsonNode dead = metrics.stream().filter(m -> m.get("name").asText().equals("eval/pass_dead_codes/bottom"))
        .reduce((a, b) -> b).orElseThrow();
    assertEquals(32.0, used.get("value").asDouble() + dead.get("value").asDouble());
  }

  @Test
  void maxEpochsSetsTheSteps() throws Exception {
    // 512 images in batches of 32: 16 steps an epoch; two epochs are 32 steps.
    VqRun r = VqRun.of(args("epochs", 1000, "trainer.max_epochs=2", "trainer.checkpoint_every=1000",
        "trainer.eval_every=1000").toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(Files.exists(onlyRun("epochs").resolve("checkpoints/train/step-00000032.ckpt")));
  }

  @Test
  void resumeContinuesAsIfNeverStopped() throws Exception {
    assertEquals(0, VqRun.of(args("straight", 8).toArray(String[]::new)).exitCode());
    assertEquals(0, VqRun.of(args("stopped", 4).toArray(String[]::new)).exitCode());
    Path stopped = onlyRun("stopped");
    VqRun resumed = VqRun.of("train", "resume=" + stopped, "trainer.max_steps=8");
    assertEquals(0, resumed.exitCode(), resumed.err());
    // The earlier launch's config is kept, not overwritten.
    try (Stream<Path> s = Files.list(stopped)) {
      assertEquals(1, s.filter(p -> p.getFileName().toString().matches("config\\..+\\.conf")).count());
    }
    byte[] a = parametersAndOptimiser(onlyRun("straight").resolve("checkpoints/train/step-00000008.ckpt"));
    byte[] b = parametersAndOptimiser(stopped.resolve("checkpoints/train/step-00000008.ckpt"));
    assertTrue(a.length > 1000);
    assertArrayEquals(a, b, "parameters and optimiser state after 8 steps differ");
  }

  @Test
  void resumeTakesAnIntactBestWhenTheStepFileIsTruncated() throws Exception {
    // Checkpoints at 4 (also best.ckpt, the eval at 4 being the first): step-00000004 truncated.
    assertEquals(0, VqRun.of(args("truncated", 4).toArray(String[]::new)).exitCode());
    Path run = onlyRun("truncated");
    Path step4 = run.resolve("checkpoints/train/step-00000004.ckpt");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(step4.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    VqRun resumed = VqRun.of("train", "resume=" + run, "trainer.max_steps=6");
    assertEquals(0, resumed.exitCode(), resumed.err());
    String log = Files.readString(run.resolve("log.txt"));
    assertTrue(log.contains("skipped corrupt checkpoint " + step4), log);
    assertTrue(log.contains("resuming from " + run.resolve("checkpoints/train/best.ckpt") + " (step 4)"), log);
    assertTrue(Files.exists(run.resolve("checkpoints/train/step-00000006.ckpt")));
  }

  /** The checkpoint after its JSON header: parameters, EMA buffers, Adam state (CRC excluded). */
  private static byte[] parametersAndOptimiser(Path ckpt) throws IOException {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(ckpt))) {
      in.readFully(new byte[9]);
      in.readInt();
      in.readLong();
      in.readFully(new byte[in.readInt()]);
      byte[] rest = in.readAllBytes();
      return Arrays.copyOf(rest, rest.length - 8);
    }
  }

  @Test
  void nonFiniteLossStopsWithAClearMessage() throws Exception {
    VqRun r = VqRun.of(args("diverge", 40, "trainer.learning_rate=1e12", "quantizer=standard",
        "quantizer.num_codes=32", "quantizer.code_dim=8").toArray(String[]::new));
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("training stopped: loss is"), r.err());
    assertTrue(r.err().contains("last good checkpoint"), r.err());
    JsonNode p = new ObjectMapper().readTree(onlyRun("diverge").resolve("provenance.json").toFile());
    assertEquals("FAILED", p.get("status").asText());
  }
}
