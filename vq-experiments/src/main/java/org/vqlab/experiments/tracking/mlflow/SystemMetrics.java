package org.vqlab.experiments.tracking.mlflow;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the process uses of the machine, under MLflow's {@code system/} prefix (the run page's
 * system-metrics tab): its CPU share of all cores since the previous sample, its resident memory,
 * and the memory in use on each GPU. Sampled by the tracker's own timer thread, never by training.
 */
final class SystemMetrics {
  private static final Path STATUS = Path.of("/proc/self/status");
  private final com.sun.management.OperatingSystemMXBean os;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final int gpus;
  private long lastCpuNanos;
  private long lastWallNanos;

  SystemMetrics() {
    java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    this.os = bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    this.gpus = CudaUtils.hasCuda() ? CudaUtils.getGpuCount() : 0;
    // The first sample covers the JVM's life so far.
    this.lastWallNanos = System.nanoTime()
        - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
  }

  /** One sample: metric name to value (a value the platform does not offer is left out). */
  synchronized Map<String, Double> sample() {
    Map<String, Double> m = new LinkedHashMap<>();
    long wall = System.nanoTime();
    if (os != null && os.getProcessCpuTime() >= 0) {
      long cpu = os.getProcessCpuTime();
      double share = (cpu - lastCpuNanos) / (double) Math.max(1, wall - lastWallNanos) / cores;
      m.put("system/process_cpu_utilization_percentage", 100 * Math.max(0, share));
      lastCpuNanos = cpu;
    }
    lastWallNanos = wall;
    residentMegabytes().ifPresent(v -> m.put("system/process_memory_rss_megabytes", v));
    m.put("system/jvm_heap_used_megabytes",
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
    for (int i = 0; i < gpus; i++) {
      MemoryUsage gpu = CudaUtils.getGpuMemory(Device.gpu(i));
      m.put("system/gpu_" + i + "_memory_usage_megabytes", gpu.getUsed() / 1048576.0);
    }
    return m;
  }

  /** VmRSS of /proc/self/status (Linux); empty elsewhere. */
  private static java.util.Optional<Double> residentMegabytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring(6).strip().split("\\s+")[0];
          return java.util.Optional.of(Long.parseLong(kb) / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or /proc not mounted: no resident-memory metric.
    }
    return java.util.Optional.empty();
  }
}
