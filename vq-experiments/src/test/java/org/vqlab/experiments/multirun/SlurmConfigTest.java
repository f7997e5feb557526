package org.vqlab.experiments.multirun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.Section;
import org.vqlab.core.launch.Job;

/** The slurm launcher's config (defaults, a full mapping, refused values) and its reading of Slurm's output. */
class SlurmConfigTest {
  private static Section shipped(String overrides) {
    var file = ConfigFactory.parseResources("config/launcher/slurm.conf");
    return new Section("launcher", ConfigFactory.parseString(overrides).withFallback(file).resolve());
  }

  @Test
  void defaultsAndAFullMapping() {
    SlurmLauncherFactory.Settings d = shipped("").bind(SlurmLauncherFactory.Settings.class);
    assertEquals(new SlurmLauncherFactory.Settings("", "", "", "04:00:00", 2, "8G", 0, 0, List.of(), List.of(),
        true, 10, "vq", List.of("-Xmx4g")), d);
    SlurmLauncherFactory.Settings s = shipped("partition = gpu, account = lab, qos = short, time = \"1-12:00\","
        + " cpus_per_task = 8, memory = 64G, gpus_per_task = 2, parallelism = 3,"
        + " sbatch_lines = [\"--constraint=a100\"], setup = [\"module load java/17\"], wait_for_jobs = false,"
        + " poll_seconds = 30, job_name = sweep, jvm_options = [\"-Xmx16g\"]")
        .bind(SlurmLauncherFactory.Settings.class);
    String script = new SlurmLauncher(s).script(List.of(
        new Job(0, List.of("seed=1"), Path.of("/sweep/0"), List.of("train", "seed=1"), Map.of("A", "it's")),
        new Job(1, List.of("seed=2"), Path.of("/sweep/1"), List.of("train", "seed=2"), Map.of())));
    for (String line : List.of("#SBATCH --job-name=sweep", "#SBATCH --array=0-1%3", "#SBATCH --time=1-12:00",
        "#SBATCH --cpus-per-task=8", "#SBATCH --mem=64G", "#SBATCH --gres=gpu:2", "#SBATCH --partition=gpu",
        "#SBATCH --account=lab", "#SBATCH --qos=short", "#SBATCH --constraint=a100",
        "#SBATCH --output=/sweep/%a/console.txt", "module load java/17", "    cd '/sweep/1'",
        "    export A='it'\\''s'", "'-Xmx16g'")) {
      assertTrue(script.contains(line + "\n") || script.contains(line + " "), line + " not in\n" + script);
    }
    assertTrue(script.contains("exec \"${VQ[@]}\" 'train' 'seed=2'\n"), script);
  }

  @Test
  void badValuesNameTheirKey() {
    for (String[] bad : new String[][] {{"time = \"-5\"", "launcher.time"}, {"time = 0", "launcher.time"},
        {"memory = lots", "launcher.memory"}, {"cpus_per_task = 0", "launcher.cpus_per_task"},
        {"parallelism = -1", "launcher.parallelism"}, {"partition = \"a b\"", "launcher.partition"},
        {"sbatch_lines = [\"constraint=a100\"]", "launcher.sbatch_lines"}, {"tyme = 5", "launcher.tyme"}}) {
      ConfigError e = assertThrows(ConfigError.class,
          () -> shipped(bad[0]).bind(SlurmLauncherFactory.Settings.class), bad[0]);
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
  }

  @Test
  void readsScontrolAndSacct() {
    Map<Integer, SlurmQueue.TaskState> s = new TreeMap<>();
    SlurmQueue.parseScontrol("JobId=7 ArrayJobId=4 ArrayTaskId=2 JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15"
        + " RunTime=00:01:25\nJobId=4 ArrayJobId=4 ArrayTaskId=3-5%2 JobState=PENDING ExitCode=0:0 RunTime=00:00:00\n", s);
    assertEquals(new SlurmQueue.TaskState(2, "4_2", "TIMEOUT", 143, 85_000), s.get(2));
    assertEquals(List.of(3, 4, 5), List.copyOf(s.keySet()).subList(1, 4));
    assertTrue(s.get(5).queued());
    Map<Integer, SlurmQueue.TaskState> a = new TreeMap<>();
    SlurmQueue.parseSacct("12_0|COMPLETED|0:0|61\n12_1|CANCELLED by 0|0:15|3\n12_[2-3]|PENDING|0:0|0\n", a);
    assertEquals(new SlurmQueue.TaskState(0, "12_0", "COMPLETED", 0, 61_000), a.get(0));
    assertEquals("CANCELLED", a.get(1).state());
    assertTrue(a.get(1).terminal());
    assertEquals(List.of(0, 1, 2, 3), List.copyOf(a.keySet()));
    assertEquals(2, SlurmQueue.exitCode("2:0"));
    assertEquals(86_400_000 + 3_723_000, SlurmQueue.elapsedMillis("1-01:02:03"));
    assertEquals("1 queued, 0 running, 1 done, 1 failed", SlurmLauncher.progress(List.copyOf(
        Map.of(0, a.get(0), 1, a.get(1), 2, a.get(2)).values())));
  }
}
