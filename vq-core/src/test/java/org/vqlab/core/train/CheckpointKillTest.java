package org.vqlab.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL while checkpoints are being written never leaves a checkpoint that fails to load. */
class CheckpointKillTest {
  @TempDir
  Path dir;

  @Test
  void killedWritersLeaveOnlyLoadableCheckpoints() throws Exception {
    Random random = new Random(3);
    long nextStep = 1;
    for (int round = 0; round < 5; round++) {
      String java = ProcessHandle.current().info().command().orElse("java");
      Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
          CheckpointWriterMain.class.getName(), dir.toString(), Long.toString(nextStep))
          .redirectErrorStream(true).redirectOutput(dir.resolve("writer-" + round + ".log").toFile()).start();
      // Wait for this round's first checkpoint, then kill at a random moment of the following writes.
      long firstOfRound = nextStep;
      long deadline = System.currentTimeMillis() + 60_000;
      while (latestStep() < firstOfRound && System.currentTimeMillis() < deadline && p.isAlive()) {
        Thread.sleep(20);
      }
      Thread.sleep(random.nextInt(400));
      p.destroyForcibly();  // SIGKILL on Linux
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      nextStep = latestStep() + 1;
      assertTrue(nextStep > firstOfRound, "round " + round + " wrote no checkpoint; see writer-" + round + ".log");
    }
    Checkpoints checkpoints = new Checkpoints(dir, 3);
    List<Path> files = checkpoints.stepFiles();
    assertTrue(!files.isEmpty());
    for (Path f : files) {
      assertTrue(Checkpoints.verify(f), f + " does not verify");
    }
    assertTrue(Checkpoints.verify(dir.resolve(Checkpoints.BEST)));
    try (NDManager m = NDManager.newBaseManager()) {
      Block block = Linear.builder().setUnits(2048).build();
      block.initialize(m, DataType.FLOAT32, new Shape(1, 2048));
      Path latest = checkpoints.latestIntact().orElseThrow();
      assertEquals(Checkpoints.stepOf(latest), Checkpoints.load(latest, block, null, m).step());
    }
  }

  private long latestStep() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.mapToLong(Checkpoints::stepOf).max().orElse(0);
    }
  }
}
