package org.vqlab.experiments.multirun;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slurm's commands as the launcher uses them: {@code sbatch} (with {@code --test-only} first),
 * {@code scancel}, and the state of every task of a job array from {@code scontrol show job} (the
 * controller's view, which keeps finished jobs for MinJobAge seconds) and, for tasks it no longer
 * knows, {@code sacct} (the accounting database, when the cluster has one).
 */
final class SlurmQueue {
  /** States after which a task will not run again. */
  static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "TIMEOUT", "CANCELLED",
      "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT");
  private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S*)");

  /** One array task as Slurm reports it; {@code exitCode} is 128 + signal for a signalled job. */
  record TaskState(int task, String jobId, String state, int exitCode, long millis) {
    boolean terminal() {
      return TERMINAL.contains(state);
    }

    boolean queued() {
      return state.equals("PENDING") || state.equals("REQUEUED") || state.equals("UNKNOWN");
    }
  }

  /** What a command printed and how it exited. */
  record Output(int code, String stdout, String stderr) {
    String message() {
      String s = (stderr.strip() + "\n" + stdout.strip()).strip();
      return s.isEmpty() ? "exit " + code : s;
    }
  }

  private SlurmQueue() {}

  static Output run(List<String> command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new IOException("cannot run " + command.get(0) + " (is Slurm installed and on PATH?): "
          + e.getMessage(), e);
    }
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    int code = p.waitFor();
    return new Output(code, out, err.join());
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The state of tasks 0..tasks-1 of array job {@code arrayJobId}; UNKNOWN when no one knows. */
  static List<TaskState> states(String arrayJobId, int tasks) throws IOException, InterruptedException {
    Map<Integer, TaskState> known = new TreeMap<>();
    Output live = run(List.of("scontrol", "show", "job", "-o", arrayJobId));
    if (live.code() == 0) {
      parseScontrol(live.stdout(), known);
    }
    if (known.size() < tasks) {
      Output acct = run(List.of("sacct", "-n", "-P", "-X", "-j", arrayJobId, "-o",
          "JobID,State,ExitCode,ElapsedRaw"));
      if (acct.code() == 0) {
        Map<Integer, TaskState> fromAcct = new TreeMap<>();
        parseSacct(acct.stdout(), fromAcct);
        fromAcct.forEach(known::putIfAbsent);
      }
    }
    List<TaskState> out = new ArrayList<>();
    for (int t = 0; t < tasks; t++) {
      out.add(known.getOrDefault(t, new TaskState(t, arrayJobId + "_" + t, "UNKNOWN", -1, 0)));
    }
    return out;
  }

  /** {@code scontrol show job -o}: one line per task, pending tasks grouped (ArrayTaskId=2-5%2). */
  static void parseScontrol(String text, Map<Integer, TaskState> into) {
    for (String line : text.split("\n")) {
      Map<String, String> f = new TreeMap<>();
      Matcher m = FIELD.matcher(line);
      while (m.find()) {
        f.putIfAbsent(m.group(1), m.group(2));
      }
      if (!f.containsKey("ArrayTaskId") || !f.containsKey("JobState")) {
        continue;
      }
      String array = f.getOrDefault("ArrayJobId", "");
      int exit = exitCode(f.getOrDefault("ExitCode", "0:0"));
      long millis = elapsedMillis(f.getOrDefault("RunTime", "0"));
      for (int t : taskIds(f.get("ArrayTaskId"))) {
        into.put(t, new TaskState(t, array + "_" + t, f.get("JobState"), exit, millis));
      }
    }
  }

  /** {@code sacct -P}: {@code 12_3|TIMEOUT|0:15|61} or {@code 12_[4-7%2]|PENDING|0:0|0}. */
  static void parseSacct(String text, Map<Integer, TaskState> into) {
    for (String line : text.split("\n")) {
      String[] p = line.strip().split("\\|");
      int us = p.length == 4 ? p[0].indexOf('_') : -1;
      if (us < 0) {
        continue;
      }
      String array = p[0].substring(0, us);
      String state = p[1].split(" ")[0];
      long millis = p[3].matches("\\d+") ? Long.parseLong(p[3]) * 1000 : 0;
      String ids = p[0].substring(us + 1).replace("[", "").replace("]", "");
      for (int t : taskIds(ids)) {
        into.put(t, new TaskState(t, array + "_" + t, state, exitCode(p[2]), millis));
      }
    }
  }

  /** {@code 3}, {@code 2-5%2}, {@code 0,2-3}: the task ids named. */
  static List<Integer> taskIds(String spec) {
    List<Integer> ids = new ArrayList<>();
    String s = spec.contains("%") ? spec.substring(0, spec.indexOf('%')) : spec;
    for (String part : s.split(",")) {
      if (part.isEmpty()) {
        continue;
      }
      int dash = part.indexOf('-');
      if (dash < 0) {
        ids.add(Integer.parseInt(part));
      } else {
        for (int t = Integer.parseInt(part.substring(0, dash)); t <= Integer.parseInt(part.substring(dash + 1)); t++) {
          ids.add(t);
        }
      }
    }
    return ids;
  }

  /** Slurm's {@code code:signal}; a signalled job counts as 128 + signal, as a shell reports it. */
  static int exitCode(String s) {
    String[] p = s.split(":");
    int code = p[0].matches("\\d+") ? Integer.parseInt(p[0]) : -1;
    int signal = p.length > 1 && p[1].matches("\\d+") ? Integer.parseInt(p[1]) : 0;
    return code == 0 && signal > 0 ? 128 + signal : code;
  }

  /** {@code [D-]HH:MM:SS}, {@code MM:SS}. */
  static long elapsedMillis(String s) {
    long days = 0;
    String rest = s;
    if (s.contains("-")) {
      days = Long.parseLong(s.substring(0, s.indexOf('-')));
      rest = s.substring(s.indexOf('-') + 1);
    }
    long seconds = 0;
    for (String part : rest.split(":")) {
      if (!part.matches("\\d+")) {
        return 0;
      }
      seconds = seconds * 60 + Long.parseLong(part);
    }
    return (days * 86400 + seconds) * 1000;
  }
}
