package org.vqlab.core.quantizer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.vqlab.core.config.Section;
import org.vqlab.core.engine.ProcessCpu;

/**
 * Times one quantise + backward step for N = 16384, K in {512, 8192}, of every built-in quantizer
 * and codebook option, against the bare DJL operations a codebook quantizer needs (D = 64; FSQ and
 * LFQ have their own D: the number of levels, the number of bits). "floor" is GEMM (N,D)x(D,K) + argmin + gather + backward of a
 * decoder stand-in (mean square of the gathered codes, as in the quantizer cases) and one MSE
 * through the gather; it skips even the |e|^2 term, so it is a lower bound. "naive" adds the
 * textbook |e|^2 - 2 z.e as two N x K elementwise passes. Quantizer cases train (EMA update,
 * usage, dead-code check with threshold 1) from a uniform init. Memory is the peak RSS of the process
 * during the measurement on CPU (Linux VmHWM, reset per row where the kernel allows), the used
 * GPU memory after the steps on GPU.
 */
public final class QuantizerBenchmark {
  private static final int N = 16384;
  private static final int D = 64;

  private QuantizerBenchmark() {}

  public static void run(Device device, PrintStream out, int repeats) {
    out.printf("quantizer benchmark: N=%d D=%d device=%s engine=%s %s, %d repeats; cases run"
        + " round-robin so that load from other processes hits all alike%n", N, D, device,
        Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), repeats);
    out.printf("%-36s %9s %9s %9s %9s %9s %9s%n", "case", "wall ms", "min ms", "x floor",
        "cpu ms", "x floor", "peak MiB");
    for (int k : new int[] {512, 8192}) {
      int bits = Integer.numberOfTrailingZeros(k);
      List<Integer> levels = k == 512 ? List.of(8, 8, 8) : List.of(8, 8, 8, 4, 4);
      String[] names = {"bare floor", "bare naive", "standard chunk=8192", "standard chunk=0",
          "ema chunk=8192", "standard rotation", "standard affine", "ema affine",
          "residual 2 stages (ema)", "fsq " + levels, "lfq d=" + bits};
      Step[] steps = {m -> bare(m, k, false), m -> bare(m, k, true),
          quantizerStep(standard(k, 8192, CodebookOptions.PLAIN)),
          quantizerStep(standard(k, 0, CodebookOptions.PLAIN)),
          quantizerStep(ema(k, 8192, CodebookOptions.PLAIN)),
          quantizerStep(standard(k, 8192,
              new CodebookOptions(GradientEstimator.ROTATION, false, 0.1, 0))),
          quantizerStep(standard(k, 8192,
              new CodebookOptions(GradientEstimator.STRAIGHT_THROUGH, true, 0.1, 0))),
          quantizerStep(ema(k, 8192,
              new CodebookOptions(GradientEstimator.STRAIGHT_THROUGH, true, 0.1, 0))),
          quantizerStep(residual(k)),
          quantizerStep(new FiniteScalarQuantizer(new FsqConfig(levels, FsqScale.DATA, 1e-3))),
          quantizerStep(new LookupFreeQuantizer(new LfqConfig(bits, 0.25, 0.1, 1.0, 0.01,
              2048)))};
      double[][] ms = new double[steps.length][repeats];
      double[][] cpu = new double[steps.length][repeats];
      double[] peak = new double[steps.length];
      try (NDManager root = NDManager.newBaseManager(device)) {
        for (int c = 0; c < steps.length; c++) {
          for (int i = 0; i < 2; i++) {
            try (NDManager m = root.newSubManager()) {
              steps[c].run(m);
            }
          }
        }
        for (int r = 0; r < repeats; r++) {
          for (int c = 0; c < steps.length; c++) {
            resetPeak();
            try (NDManager m = root.newSubManager()) {
              long c0 = ProcessCpu.nanos();
              long t0 = System.nanoTime();
              steps[c].run(m);
              ms[c][r] = (System.nanoTime() - t0) / 1e6;
              cpu[c][r] = (ProcessCpu.nanos() - c0) / 1e6;
            }
            peak[c] = Math.max(peak[c], peakMemoryMiB(device));
          }
        }
      }
      for (int c = 0; c < steps.length; c++) {
        double[] ratio = new double[repeats];
        double[] cpuRatio = new double[repeats];
        for (int r = 0; r < repeats; r++) {
          ratio[r] = ms[c][r] / ms[0][r];
          cpuRatio[r] = cpu[c][r] / cpu[0][r];
        }
        out.printf("%-36s %9.1f %9.1f %9.2f %9.1f %9.2f %9.0f%n", "K=" + k + " " + names[c],
            median(ms[c]), Arrays.stream(ms[c]).min().orElse(Double.NaN), median(ratio),
            median(cpu[c]), median(cpuRatio), peak[c]);
      }
    }
    out.println("x floor: median over repeats of (case / floor in the same round); cpu ms is"
        + " the process CPU time of the step (all threads, user + system), which other processes"
        + " on a loaded machine disturb less than wall time");
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static Quantizer standard(int k, int chunk, CodebookOptions o) {
    return new VectorQuantizer(new StandardQuantizerConfig(k, D, 0.25, CodebookInit.UNIFORM, 0,
        CodeDistance.L2, 1.0, 0.99, chunk, o.gradient(), o.affine(), o.affineMomentum(),
        o.syncNu()));
  }

  private static Quantizer ema(int k, int chunk, CodebookOptions o) {
    return new EmaVectorQuantizer(new EmaQuantizerConfig(k, D, 0.25, 0.99, 1e-5, true,
        CodebookInit.UNIFORM, 0, CodeDistance.L2, 1.0, chunk, o.gradient(), o.affine(),
        o.affineMomentum()));
  }

  /** The shipped residual option (EMA stages) with 2 stages of K codes and a uniform init. */
  private static Quantizer residual(int k) {
    Config shipped = ConfigFactory.parseResources("config/quantizer/residual.conf");
    Config c = ConfigFactory.parseString("num_codes = " + k + ", code_dim = " + D
        + ", stages = 2, dropout_seed = 0, stage.init = uniform").withFallback(shipped).resolve();
    return new ResidualQuantizerFactory().create(new Section("quantizer", c));
  }

  private interface Step {
    void run(NDManager manager);
  }

  /** GEMM + argmin + gather + backward, with (naive) or without the distance arithmetic. */
  private static void bare(NDManager m, int k, boolean naive) {
    NDArray z = m.randomNormal(new Shape(N, D));
    NDArray e = m.randomNormal(new Shape(k, D));
    z.setRequiresGradient(true);
    e.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray zd = z.stopGradient();
      NDArray ed = e.stopGradient();
      NDArray product = zd.matMul(ed.transpose());
      NDArray idx = naive
          ? product.mul(-2f).add(ed.square().sum(new int[] {1})).argMin(1)
          : product.argMin(1);
      NDArray q = e.get(new NDIndex("{}", idx));
      // the same decoder stand-in as the quantizer cases (mean square of the output) + one MSE
      gc.backward(q.square().mean().add(q.sub(z).square().mean()));
    }
  }

  private static Step quantizerStep(Quantizer quantizer) {
    int d = quantizer.codeDim();
    return new Step() {
      private boolean ready;

      @Override
      public void run(NDManager m) {
        if (!ready) {
          quantizer.initialize(m.getParentManager(), DataType.FLOAT32, new Shape(1, d));
          ready = true;
        }
        ParameterStore ps = new ParameterStore(m, false);
        NDArray z = m.randomNormal(new Shape(N, d));
        z.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          QuantizerOutput out = quantizer.quantize(ps, z, true);
          gc.backward(out.quantized().square().mean().add(out.loss()));
        }
      }
    };
  }

  private static void resetPeak() {
    try {
      Files.writeString(Paths.get("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // Not Linux or not permitted: VmHWM is then the peak since the process started.
    }
  }

  private static double peakMemoryMiB(Device device) {
    if (device.isGpu()) {
      return CudaUtils.getGpuMemory(device).getUsed() / (1024.0 * 1024.0);
    }
    Path status = Paths.get("/proc/self/status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return Double.NaN;
  }
}
