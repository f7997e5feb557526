package org.vqlab.experiments.multirun;

import java.util.ArrayList;
import java.util.List;
import org.vqlab.core.config.ConfigError;

/**
 * Expands a multirun's arguments into jobs: each {@code key=a,b,c} is a sweep dimension, and the jobs
 * are the cartesian product, the last argument varying fastest (as in Hydra). Commas inside
 * brackets, braces or quotes do not split ({@code betas=[0.9,0.99]} is one value).
 */
public final class Sweep {
  private Sweep() {}

  public static List<List<String>> expand(List<String> arguments) {
    List<List<String>> jobs = new ArrayList<>();
    jobs.add(new ArrayList<>());
    for (String arg : arguments) {
      List<String> choices = choices(arg);
      List<List<String>> next = new ArrayList<>();
      for (List<String> job : jobs) {
        for (String choice : choices) {
          List<String> extended = new ArrayList<>(job);
          extended.add(choice);
          next.add(extended);
        }
      }
      jobs = next;
    }
    return jobs;
  }

  /** For each argument, whether it sweeps (has more than one value). */
  public static List<Boolean> swept(List<String> arguments) {
    List<Boolean> out = new ArrayList<>();
    for (String arg : arguments) {
      out.add(choices(arg).size() > 1);
    }
    return out;
  }

  /** The swept arguments of one job, which name it ("seed=2 quantizer=ema"). */
  public static List<String> sweptOnly(List<String> job, List<Boolean> swept) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < job.size(); i++) {
      if (swept.get(i)) {
        out.add(job.get(i));
      }
    }
    return out;
  }

  /** The alternatives of one argument: {@code key=a,b} gives {@code key=a} and {@code key=b}. */
  static List<String> choices(String arg) {
    int eq = arg.indexOf('=');
    if (eq < 0 || arg.startsWith("~")) {
      return List.of(arg);
    }
    String key = arg.substring(0, eq + 1);
    List<String> values = splitTopLevel(arg.substring(eq + 1), arg);
    List<String> out = new ArrayList<>();
    for (String v : values) {
      out.add(key + v);
    }
    return out;
  }

  private static List<String> splitTopLevel(String value, String arg) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '[' || c == '{')) {
        depth++;
      } else if (!quoted && (c == ']' || c == '}')) {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        parts.add(cur.toString());
        cur.setLength(0);
        continue;
      }
      cur.append(c);
    }
    parts.add(cur.toString());
    if (quoted || depth != 0) {
      throw new ConfigError("cannot read sweep argument '" + arg + "': unbalanced quotes or brackets");
    }
    if (parts.stream().anyMatch(String::isEmpty)) {
      throw new ConfigError("cannot read sweep argument '" + arg + "': empty value between commas");
    }
    return parts;
  }
}
