package org.vqlab.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while checkpoints are being written never leaves a checkpoint that fails to load, nor
 * loses one whose save had completed. Each round waits until the writer reports a completed save
 * of best.ckpt (however slowly a loaded machine gets there), then kills it at a random moment of
 * the writes that follow; what is asserted depends only on what the writer reported, not on when
 * the kill landed.
 */
class CheckpointKillTest {
  @TempDir
  Path dir;

  @Test
  void killedWritersLeaveOnlyLoadableCheckpoints() throws Exception {
    Random random = new Random(3);
    long nextStep = 1;
    for (int round = 0; round < 5; round++) {
      Path log = dir.resolve("writer-" + round + ".log");
      String java = ProcessHandle.current().info().command().orElse("java");
      Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
          CheckpointWriterMain.class.getName(), dir.toString(), Long.toString(nextStep))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long deadline = System.currentTimeMillis() + 300_000;
      while (lastSaved(log, true) < nextStep && System.currentTimeMillis() < deadline && p.isAlive()) {
        Thread.sleep(20);
      }
      assertTrue(lastSaved(log, true) >= nextStep, "round " + round + " (writer alive: " + p.isAlive()
          + ") completed no save of"
          + " best.ckpt; see " + log + ":\n" + Files.readString(log));
      Thread.sleep(random.nextInt(400));
      p.destroyForcibly();  // SIGKILL on Linux
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));

      long saved = lastSaved(log, false);
      long savedBest = lastSaved(log, true);
      Checkpoints checkpoints = new Checkpoints(dir, 3);
      for (Path f : checkpoints.stepFiles()) {
        assertTrue(Checkpoints.verify(f), "round " + round + ": " + f + " does not verify");
      }
      Path best = dir.resolve(Checkpoints.BEST);
      assertTrue(Checkpoints.verify(best), "round " + round + ": best.ckpt does not verify");
      // A kill can only add a newer checkpoint than the last one reported, never lose that one.
      Path latest = checkpoints.latestIntact().orElseThrow();
      assertTrue(Checkpoints.stepOf(latest) >= saved, latest + " is older than step " + saved);
      try (NDManager m = NDManager.newBaseManager()) {
        Block block = Linear.builder().setUnits(2048).build();
        block.initialize(m, DataType.FLOAT32, new Shape(1, 2048));
        assertEquals(Checkpoints.stepOf(latest), Checkpoints.load(latest, block, null, m).step());
        long bestStep = Checkpoints.load(best, block, null, m).step();
        assertTrue(bestStep >= savedBest && bestStep % 2 == 0, "best.ckpt holds step " + bestStep
            + ", the last completed best save was step " + savedBest);
      }
      nextStep = Checkpoints.stepOf(latest) + 1;
    }
  }

  /** The last step the writer reported as saved (as best.ckpt too when {@code best}), or 0. */
  private static long lastSaved(Path log, boolean best) throws IOException {
    long last = 0;
    for (String line : Files.exists(log) ? Files.readAllLines(log) : List.<String>of()) {
      String[] parts = line.split(" ");
      if (parts.length == 3 && parts[0].equals("saved") && (!best || parts[2].equals("best"))) {
        last = Math.max(last, Long.parseLong(parts[1]));
      }
    }
    return last;
  }
}
