package org.vqlab.core.engine;

import java.lang.management.ManagementFactory;

/** The CPU time this process has used, for the benchmarks' "ms cpu" beside their wall times. */
public final class ProcessCpu {
  private ProcessCpu() {}

  /**
   * CPU time of the whole process (all threads, user and system) in ns, or 0 where the JVM does
   * not report it. Time the hypervisor stole is not in it.
   */
  public static long nanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }
}
