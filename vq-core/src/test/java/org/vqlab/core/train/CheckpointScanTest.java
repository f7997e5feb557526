package org.vqlab.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which checkpoint loading picks among damaged ones, and how best.ckpt reaches the disk. */
class CheckpointScanTest {
  @TempDir
  Path dir;

  private static void save(Checkpoints c, long step, boolean best) throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      Block block = Linear.builder().setUnits(4).build();
      block.initialize(m, DataType.FLOAT32, new Shape(1, 4));
      c.save(step, "{\"step\":" + step + "}", block, null, best);
    }
  }

  private static void truncate(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
  }

  @Test
  void intactBestOfTheSameStepIsTakenWhenTheStepFileIsTruncated() throws IOException {
    Checkpoints c = new Checkpoints(dir, 5);
    save(c, 10, false);
    save(c, 20, false);
    save(c, 30, true);
    truncate(dir.resolve("step-00000030.ckpt"));
    Checkpoints.Scan scan = c.scan();
    assertEquals(Optional.of(dir.resolve(Checkpoints.BEST)), scan.newest());
    assertEquals(List.of(dir.resolve("step-00000030.ckpt")), scan.corrupt());
  }

  @Test
  void newerStepFileBeatsAnOlderBestAndEveryCorruptFileIsNamed() throws IOException {
    Checkpoints c = new Checkpoints(dir, 5);
    save(c, 10, true);
    save(c, 20, false);
    save(c, 30, false);
    save(c, 40, false);
    truncate(dir.resolve("step-00000040.ckpt"));
    truncate(dir.resolve("step-00000030.ckpt"));
    Checkpoints.Scan scan = c.scan();
    assertEquals(Optional.of(dir.resolve("step-00000020.ckpt")), scan.newest());
    assertEquals(List.of(dir.resolve("step-00000040.ckpt"), dir.resolve("step-00000030.ckpt")),
        scan.corrupt());
  }

  @Test
  void everyFileCorruptLeavesNothingAndNamesThemAll() throws IOException {
    Checkpoints c = new Checkpoints(dir, 5);
    save(c, 10, false);
    save(c, 20, true);
    for (String f : List.of("step-00000010.ckpt", "step-00000020.ckpt", Checkpoints.BEST)) {
      truncate(dir.resolve(f));
    }
    Checkpoints.Scan scan = c.scan();
    assertEquals(Optional.empty(), scan.newest());
    assertEquals(List.of(dir.resolve(Checkpoints.BEST), dir.resolve("step-00000020.ckpt"),
        dir.resolve("step-00000010.ckpt")), scan.corrupt());
  }

  /**
   * Under strace: the file renamed to best.ckpt was forced to disk (fsync or fdatasync of its
   * descriptor) before the rename, as the step file is.
   */
  @Test
  void bestCopyIsForcedToDiskBeforeItsRename() throws Exception {
    assumeTrue(new ProcessBuilder("strace", "-V").start().waitFor() == 0, "strace is not installed");
    Path trace = dir.resolve("strace.txt");
    Path out = Files.createDirectories(dir.resolve("ckpt"));
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder("strace", "-f", "-qq", "-y", "-o", trace.toString(),
        "-e", "trace=openat,fsync,fdatasync,close,rename,renameat,renameat2", java, "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), CheckpointWriterMain.class.getName(),
        out.toString(), "2", "1")
        .redirectErrorStream(true).redirectOutput(dir.resolve("writer.log").toFile()).start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assumeTrue(p.exitValue() == 0, "the writer did not run under strace (ptrace not permitted?): "
        + Files.readString(dir.resolve("writer.log")));
    assertTrue(Checkpoints.verify(out.resolve(Checkpoints.BEST)));
    // -y prints the path behind every descriptor, so an fsync names its file even when strace splits
    // the call of one thread around another's ("<unfinished ...>" / "<... resumed>").
    Pattern sync = Pattern.compile("f(?:data)?sync\\(\\d+<([^>]+)>");
    Pattern rename = Pattern.compile("rename(?:at2?)?\\(.*?\"([^\"]+)\".*?\"([^\"]+)\"");
    java.util.Set<String> forced = new java.util.HashSet<>();
    List<String> bestRenames = new ArrayList<>();
    for (String line : Files.readAllLines(trace)) {
      Matcher m;
      if ((m = sync.matcher(line)).find()) {
        forced.add(m.group(1));
      } else if ((m = rename.matcher(line)).find() && m.group(2).endsWith("/" + Checkpoints.BEST)) {
        bestRenames.add(m.group(1));
      }
    }
    assertEquals(1, bestRenames.size(), "one save with best = true");
    assertTrue(forced.contains(bestRenames.get(0)), bestRenames.get(0)
        + " was renamed to best.ckpt without being forced to disk; forced: " + forced);
  }
}
