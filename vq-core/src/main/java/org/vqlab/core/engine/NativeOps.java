package org.vqlab.core.engine;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the libtorch operators that run between {@link #start} and {@link #stop}, from the chrome
 * trace of libtorch's own profiler (reached through DJL's {@code JniUtils}). Top-level operators are
 * those not nested in another operator on the same thread: each is one dispatch from the caller
 * (a JNI call here, a Python call in PyTorch), the figure that decides a launch-bound GPU step.
 * bench/peer_pytorch.py counts PyTorch's trace the same way.
 */
public final class NativeOps {
  /**
   * Operators that wait for the device on a GPU: a value copied to the host, or an output whose
   * size depends on the data. (DJL's own reads, toFloatArray, copy the buffer without an operator
   * on a CPU tensor; those are counted by the training path's HostReads gate.)
   */
  public static final List<String> HOST_READS = List.of("aten::item", "aten::_local_scalar_dense",
      "aten::nonzero", "aten::_unique2", "aten::unique_dim", "aten::unique_consecutive",
      "aten::masked_select", "aten::bincount");

  /** What a profile saw: operators by name, top-level and all (nested included). */
  public record Counts(Map<String, Integer> topLevel, int total, int syncing) {
    public int topLevelTotal() {
      return topLevel.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Operators of {@link #HOST_READS}, nested ones included (a sync anywhere is one). */
    public int hostReads() {
      return syncing;
    }
  }

  /**
   * System property: a file to keep the profiler's chrome trace in (for bench/op-profile, which
   * compares where the time goes operator by operator with PyTorch's trace of the same step).
   */
  public static final String KEEP_TRACE = "vqlab.native_ops.trace";

  private NativeOps() {}

  public static void start() {
    // Shapes only when the trace is kept: recording them costs time of its own.
    String keep = System.getProperty(KEEP_TRACE);
    JniUtils.startProfile(false, keep != null && !keep.isEmpty(), false);
  }

  /** Stops the profiler and counts the trace it wrote. */
  public static Counts stop() {
    try {
      Path trace = Files.createTempFile("vq-native-ops", ".json");
      try {
        JniUtils.stopProfile(trace.toString());
        String keep = System.getProperty(KEEP_TRACE);
        if (keep != null && !keep.isEmpty()) {
          Files.copy(trace, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return count(new ObjectMapper().readTree(trace.toFile()));
      } finally {
        Files.deleteIfExists(trace);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Counts complete ("X") operator events of a chrome trace. */
  static Counts count(JsonNode trace) {
    JsonNode events = trace.isArray() ? trace : trace.path("traceEvents");
    record Event(String name, String tid, double start, double end) {}
    List<Event> ops = new ArrayList<>();
    for (JsonNode e : events) {
      if ("X".equals(e.path("ph").asText()) && !e.path("cat").asText().contains("kernel")
          && !e.path("cat").asText().equals("python_function")) {
        double ts = e.path("ts").asDouble();
        ops.add(new Event(e.path("name").asText(), e.path("tid").asText(), ts, ts + e.path("dur").asDouble()));
      }
    }
    ops.sort(Comparator.comparing(Event::tid).thenComparingDouble(Event::start)
        .thenComparing(Comparator.comparingDouble(Event::end).reversed()));
    Map<String, Integer> top = new TreeMap<>();
    int syncing = (int) ops.stream().filter(e -> HOST_READS.contains(e.name())).count();
    String tid = null;
    double openUntil = Double.NEGATIVE_INFINITY;
    for (Event e : ops) {
      if (!e.tid().equals(tid)) {
        tid = e.tid();
        openUntil = Double.NEGATIVE_INFINITY;
      }
      if (e.start() >= openUntil) {
        top.merge(e.name(), 1, Integer::sum);
        openUntil = e.end();
      }
    }
    return new Counts(top, ops.size(), syncing);
  }
}
