package org.vqlab.experiments.multirun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.launch.Job;
import org.vqlab.core.launch.JobResult;
import org.vqlab.core.launch.Launcher;

/**
 * Runs each job in its own JVM, {@code parallelism} at a time; a job's console output goes to
 * {@code console.txt} in its directory. A failing job is recorded with the end of its output and
 * never stops the others.
 */
public final class BasicLauncher implements Launcher {
  static final String CONSOLE = "console.txt";
  private static final Logger LOG = LoggerFactory.getLogger(BasicLauncher.class);
  private final int parallelism;
  private final List<String> jvmOptions;

  public BasicLauncher(int parallelism, List<String> jvmOptions) {
    this.parallelism = parallelism;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** {@code java <options> -cp <this JVM's classpath> org.vqlab.experiments.Vq <arguments>}. */
  List<String> command(Job job) {
    return command(jvmOptions, job);
  }

  /** The command of {@code job} in a JVM with {@code jvmOptions}; shared by the cluster launchers. */
  static List<String> command(List<String> jvmOptions, Job job) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmOptions);
    for (String prop : List.of("vqlab.home", "ai.djl.offline")) {
      if (System.getProperty(prop) != null) {
        cmd.add("-D" + prop + "=" + System.getProperty(prop));
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.vqlab.experiments.Vq");
    cmd.addAll(job.arguments());
    return cmd;
  }

  @Override
  public List<JobResult> launch(List<Job> jobs) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      List<Future<JobResult>> futures = new ArrayList<>();
      for (Job job : jobs) {
        futures.add(pool.submit(() -> run(job)));
      }
      List<JobResult> results = new ArrayList<>();
      for (Future<JobResult> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("launcher thread failed", e.getCause());
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private JobResult run(Job job) throws IOException, InterruptedException {
    Files.createDirectories(job.directory());
    Path console = job.directory().resolve(CONSOLE);
    ProcessBuilder pb = new ProcessBuilder(command(job)).redirectErrorStream(true)
        .redirectOutput(console.toFile());
    pb.environment().putAll(job.environment());
    LOG.info("job {} started: {}", job.number(), String.join(" ", job.overrides()));
    long t0 = System.currentTimeMillis();
    Process p = pb.start();
    int code;
    try {
      code = p.waitFor();
    } catch (InterruptedException e) {
      p.destroy();
      throw e;
    }
    long millis = System.currentTimeMillis() - t0;
    String error = code == 0 ? "" : tail(console, 15);
    LOG.info("job {} {} in {} s", job.number(), code == 0 ? "succeeded" : "FAILED (exit " + code + ")",
        millis / 1000);
    return new JobResult(job, code, error, millis);
  }

  static String tail(Path file, int lines) throws IOException {
    List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
