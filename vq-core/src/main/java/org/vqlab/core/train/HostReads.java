package org.vqlab.core.train;

import ai.djl.ndarray.NDArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one gate through which the training path reads device values back to the host. A read waits
 * for the device to finish everything queued before it (on a GPU, a synchronisation), so the loop
 * makes one only where it must: at a log, evaluation or checkpoint step. Counting them here lets a
 * test fail if a plain step makes one ({@code HostSyncTest}); libtorch's profiler cross-checks the
 * count by the {@code aten::item} / {@code aten::_local_scalar_dense} operators it records.
 */
public final class HostReads {
  private static final AtomicLong READS = new AtomicLong();

  private HostReads() {}

  /** All values of {@code a} as floats, in one transfer. */
  public static float[] floats(NDArray a) {
    READS.incrementAndGet();
    return a.toFloatArray();
  }

  /** The first value of {@code a} as a float. */
  public static float scalar(NDArray a) {
    return floats(a.reshape(-1).get(0))[0];
  }

  /** Reads made so far in this JVM. */
  public static long count() {
    return READS.get();
  }
}
