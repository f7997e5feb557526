package org.vqlab.experiments.multirun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.experiments.Vq;

/**
 * The slurm launcher against a real Slurm cluster (scripts/slurm-cluster, started by scripts/test):
 * a sweep of four jobs two at a time with a failing and a timed-out job (then resumed), Ctrl-C
 * cancelling an array, a sweep submitted without waiting, and values Slurm or the launcher refuse
 * before anything is submitted. Slurm's time limits are whole minutes, so the timed-out job costs
 * about 60-90 s (the cluster runs with OverTimeLimit=0 and KillWait=5).
 */
@Tag("slurm")
class SlurmLauncherTest {
  private static final List<String> TINY = List.of("dataset.subset=256", "model.channels=8",
      "model.residual_channels=4", "quantizer.num_codes=16", "quantizer.code_dim=4",
      "trainer.batch_size=16", "trainer.eval_every=1000000", "trainer.eval_batches=1",
      "trainer.log_every=50", "trainer.checkpoint_every=20", "trainer.device=cpu");
  private static final List<String> SLURM = List.of("launcher=slurm", "launcher.cpus_per_task=1",
      "launcher.memory=2G", "launcher.poll_seconds=2");

  @TempDir
  Path tmp;

  @BeforeAll
  static void clusterRuns() throws Exception {
    SlurmQueue.Output info;
    try {
      info = SlurmQueue.run(List.of("sinfo", "-h", "-o", "%T"));
    } catch (java.io.IOException e) {
      fail("Slurm is not installed (run scripts/test, which starts scripts/slurm-cluster): " + e.getMessage());
      return;
    }
    if (info.code() != 0 || info.stdout().isBlank()) {
      fail("no Slurm cluster answers (SLURM_CONF=" + System.getenv("SLURM_CONF")
          + "; scripts/slurm-cluster start): " + info.message());
    }
  }

  record Run(int code, String out, String err) {}

  private static Run vq(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Vq.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private static List<String> args(String... head) {
    return new ArrayList<>(Arrays.asList(head));
  }

  private static Path onlySweep(Path root) throws Exception {
    try (Stream<Path> s = Files.list(root)) {
      List<Path> all = s.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  private static List<String> rows(Path sweep) throws Exception {
    return Files.readAllLines(sweep.resolve(Multirun.SUMMARY_CSV));
  }

  private static long lastCheckpointStep(Path job) throws Exception {
    try (Stream<Path> s = Files.list(job.resolve("checkpoints/train"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+\\.ckpt"))
          .mapToLong(n -> Long.parseLong(n.replaceAll("\\D", ""))).max().orElse(-1);
    }
  }

  @Test
  void sweepOfFourJobsTwoAtATimeWithAFailureAndATimeoutThatResumes() throws Exception {
    Path root = tmp.resolve("multirun");
    List<String> a = args("train", "-m", "--multirun-dir=" + root, "output_dir=" + tmp.resolve("out"));
    a.addAll(SLURM);
    a.addAll(TINY.subList(0, TINY.size() - 1));
    // Jobs: (cpu, 10 steps) ok; (cpu, a million steps) killed at launcher.time=1 minute;
    // (gpu:1, ...) twice: this machine has no GPU, so the job itself fails with exit 2.
    a.addAll(List.of("launcher.parallelism=2", "launcher.time=1", "trainer.device=cpu,gpu:1",
        "trainer.max_steps=10,1000000"));
    Run r = vq(a);
    assertEquals(1, r.code(), r.out() + r.err());
    Path sweep = onlySweep(root);
    String script = Files.readString(sweep.resolve(SlurmLauncher.SCRIPT));
    assertTrue(script.contains("#SBATCH --array=0-3%2\n"), script);
    assertTrue(script.contains("#SBATCH --time=1\n"), script);
    List<String> csv = rows(sweep);
    assertEquals(5, csv.size(), String.join("\n", csv));
    assertTrue(csv.get(0).startsWith("job,overrides,scheduler_job,state,exit_code,seconds,error"), csv.get(0));
    assertTrue(csv.get(1).matches("0,.*,\\d+_0,COMPLETED,0,.*"), csv.get(1));
    assertTrue(csv.get(2).matches("1,.*,\\d+_1,TIMEOUT,\\d+,.*resume=.*"), csv.get(2));
    for (int job : new int[] {2, 3}) {
      String row = csv.get(job + 1);
      assertTrue(row.matches(job + ",.*,\\d+_" + job + ",FAILED,2,.*sees 0 GPU.*"), row);
    }
    // The completed job's final metrics are in its row: the training loss of its 10th step.
    assertTrue(csv.get(0).contains("train/loss"), csv.get(0));
    System.out.println("Slurm test sweep, " + sweep.resolve(Multirun.SUMMARY_MD) + ":\n"
        + Files.readString(sweep.resolve(Multirun.SUMMARY_MD)));

    // The timed-out job resumes from its last checkpoint: 10 more steps, then done.
    Path timedOut = sweep.resolve("1");
    long last = lastCheckpointStep(timedOut);
    assertTrue(last >= 20, "the job was killed before its first checkpoint: " + last);
    Run resumed = vq(List.of("train", "resume=" + timedOut, "trainer.max_steps=" + (last + 10)));
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    assertEquals(last + 10, lastCheckpointStep(timedOut));
    String log = Files.readString(timedOut.resolve("log.txt"));
    assertTrue(log.contains("step-" + last + ".ckpt") || log.contains("step " + last), log);
  }

  @Test
  void ctrlCWhileWaitingCancelsTheArray() throws Exception {
    Path root = tmp.resolve("multirun");
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Dvqlab.home=" + System.getProperty("vqlab.home"));
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Vq.class.getName()));
    cmd.addAll(args("train", "-m", "--multirun-dir=" + root, "output_dir=" + tmp.resolve("out"),
        "launcher.job_name=vq-cancel-test", "trainer.max_steps=1000000", "launcher.time=10"));
    cmd.addAll(SLURM);
    cmd.addAll(TINY.subList(0, TINY.size() - 1));
    Process vq = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("vq-console.txt").toFile()).start();
    try {
      // Wait until Slurm runs the job, then press Ctrl-C (SIGINT) on the waiting vq.
      String state = "";
      for (int i = 0; i < 120 && !state.equals("RUNNING"); i++) {
        Thread.sleep(1000);
        Optional<Path> sweep = Files.isDirectory(root) ? Files.list(root).findFirst() : Optional.empty();
        if (sweep.isPresent() && Files.exists(sweep.get().resolve(SlurmLauncher.RECORD))) {
          state = SlurmLauncher.status(sweep.get()).get(0).state();
        }
        assertTrue(vq.isAlive(), "vq ended before its job ran: " + Files.readString(tmp.resolve("vq-console.txt")));
      }
      assertEquals("RUNNING", state);
      assertEquals(0, SlurmQueue.run(List.of("kill", "-INT", Long.toString(vq.pid()))).code());
      assertTrue(vq.waitFor(60, TimeUnit.SECONDS), "vq did not exit after Ctrl-C");
    } finally {
      vq.destroyForcibly();
    }
    assertTrue(Files.readString(tmp.resolve("vq-console.txt")).contains("cancelled Slurm array"));
    Path sweep = onlySweep(root);
    Run status = vq(List.of("sweep-status", sweep.toString()));
    for (int i = 0; i < 60 && status.code() == 3; i++) {
      Thread.sleep(1000);
      status = vq(List.of("sweep-status", sweep.toString()));
    }
    assertEquals(1, status.code(), status.out() + status.err());
    assertTrue(rows(sweep).get(1).matches("0,.*,\\d+_0,CANCELLED,\\d+,.*"), rows(sweep).get(1));
  }

  @Test
  void notWaitingPrintsTheArrayAndSweepStatusWritesTheSummaryLater() throws Exception {
    Path root = tmp.resolve("multirun");
    List<String> a = args("prepare", "-m", "--multirun-dir=" + root, "output_dir=" + tmp.resolve("out"),
        "launcher.wait_for_jobs=false");
    a.addAll(SLURM);
    Run r = vq(a);
    assertEquals(0, r.code(), r.out() + r.err());
    Path sweep = onlySweep(root);
    assertTrue(r.out().contains("vq sweep-status " + sweep), r.out());
    Run status = vq(List.of("sweep-status", sweep.toString()));
    for (int i = 0; i < 120 && status.code() == 3; i++) {
      Thread.sleep(1000);
      status = vq(List.of("sweep-status", sweep.toString()));
    }
    assertEquals(0, status.code(), status.out() + status.err());
    String row = rows(sweep).get(1);
    assertTrue(row.matches("0,.*,\\d+_0,COMPLETED,0,.*"), row);
    // prepare's final metrics: Fashion-MNIST's 60000 training images.
    assertTrue(row.contains("60000"), row);
  }

  @Test
  void badValuesAreRefusedBeforeAnythingIsSubmitted() throws Exception {
    Path root = tmp.resolve("multirun");
    List<String> a = args("prepare", "-m", "--multirun-dir=" + root, "launcher.job_name=vq-refused");
    a.addAll(SLURM);
    List<String> negative = new ArrayList<>(a);
    negative.add("launcher.time=-5");
    Run r = vq(negative);
    assertEquals(Vq.CONFIG_ERROR, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("launcher.time") && r.err().contains("'-5'"), r.err());
    assertFalse(Files.exists(root), "a sweep directory was created");

    List<String> partition = new ArrayList<>(a);
    partition.add("launcher.partition=no_such_partition");
    r = vq(partition);
    assertEquals(Vq.CONFIG_ERROR, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("launcher.partition=no_such_partition")
        && r.err().contains("invalid partition"), r.err());
    assertFalse(Files.exists(onlySweep(root).resolve(SlurmLauncher.RECORD)));
    SlurmQueue.Output queued = SlurmQueue.run(List.of("squeue", "-h", "-n", "vq-refused"));
    assertEquals("", queued.stdout().strip());
  }
}
