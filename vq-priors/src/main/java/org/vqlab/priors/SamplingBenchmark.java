package org.vqlab.priors;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.vqlab.core.engine.ProcessCpu;
import org.vqlab.core.prior.AncestralSampling;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;
import org.vqlab.core.train.AdamOptimizer;
import org.vqlab.core.train.TrainerConfig;

/**
 * Codes per second of the reference sampler (one full forward pass per position) and of the
 * {@link ReceptiveFieldSampler} on a 32 x 32 grid at batch 64, and milliseconds per training step
 * (forward, backward, Adam) of a class-conditional prior on a 16 x 16 grid at batch 32.
 *
 * <p>Both samplers run on the same positions in the middle of the grid (rows from 16, where the
 * fast sampler's row window is full), below rows of random codes: a full
 * grid with the reference sampler takes 1024 full passes, so it is timed on a few positions and
 * codes per second extrapolate linearly (each position costs the same full pass). Times are wall
 * clock and process CPU; on a loaded machine the CPU time is the fairer figure. The fast sampler
 * is timed with its boundary guard (the share of positions it redid with a full pass is printed)
 * and again without it, on the same positions.
 *
 * <p>Run: {@code ./vq bench sample} (or {@code vq bench prior}).
 */
public final class SamplingBenchmark {
  private static final int SIDE = 32;
  private static final int BATCH = 64;
  private static final int K = 512;

  private SamplingBenchmark() {}

  /**
   * @param channels, layers the prior (kernel 3; layers counts the mask-B layers)
   * @param plainPositions positions timed with the reference sampler
   * @param fastRows whole rows timed with the fast sampler
   */
  public static void run(Device device, PrintStream out, int channels, int layers, int plainPositions,
      int fastRows) {
    out.printf("prior sampling benchmark: device=%s engine=%s %s, gated PixelCNN channels=%d,"
        + " layers=1+%d, kernel 3, K=%d, grid %dx%d, batch %d, class-conditional (10 classes)%n",
        device, Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), channels,
        layers, K, SIDE, SIDE, BATCH);
    Engine.getInstance().setRandomSeed(0);
    try (NDManager manager = NDManager.newBaseManager(device)) {
      GatedPixelCnn prior = new GatedPixelCnn(config(channels, layers),
          new PriorContext(K, SIDE, SIDE, 0, 0, 0, 10)).initialize(manager);
      ParameterStore ps = new ParameterStore(manager, false);
      PriorCondition condition = new PriorCondition(
          manager.create(java.util.stream.LongStream.range(0, BATCH).map(i -> i % 10).toArray()), null,
          null);
      NDArray uniforms = AncestralSampling.uniforms(manager, device, BATCH, SIDE, SIDE, 1);
      int start = SIDE * SIDE / 2;
      // The rows above the timed ones: random codes (the cost of a pass does not depend on them).
      NDArray codes = manager.randomInteger(0, K, new Shape(BATCH, SIDE, SIDE), DataType.INT64);

      // One warm-up position each, then the timed positions from the same state.
      NDArray plainCodes = codes.duplicate();
      AncestralSampling.referenceInto(prior, ps, plainCodes, uniforms, condition, 1.0, start, start + 1);
      Timer t = Timer.start();
      AncestralSampling.referenceInto(prior, ps, plainCodes, uniforms, condition, 1.0, start + 1,
          start + 1 + plainPositions);
      double[] plain = t.stop(plainPositions);

      // At least 8 rows, so the guard's rate (a few percent of positions) is measured on 256.
      int rows = Math.max(fastRows, 8);
      NDArray fastCodes = codes.duplicate();
      prior.sampleInto(ps, fastCodes, uniforms, condition, 1.0, start, start + 1, null);
      t = Timer.start();
      FastSamplingStats stats = prior.sampleInto(ps, fastCodes, uniforms, condition, 1.0, start + 1,
          start + 1 + rows * SIDE, null);
      double[] fast = t.stop(rows * SIDE);
      // The same positions without the guard: its cost is the difference.
      NDArray bareCodes = codes.duplicate();
      bareCodes.set(new NDIndex(":, 16, 0"), fastCodes.get(new NDIndex(":, 16, 0")));
      t = Timer.start();
      ReceptiveFieldSampler.sampleInto(prior, ps, bareCodes, uniforms, condition, 1.0, start + 1,
          start + 1 + rows * SIDE, null, -1);
      double[] bare = t.stop(rows * SIDE);
      boolean same = java.util.Arrays.equals(
          plainCodes.get(":, 16, 1:" + (1 + plainPositions)).toLongArray(),
          fastCodes.get(":, 16, 1:" + (1 + plainPositions)).toLongArray());
      long bareDiffers = bareCodes.neq(fastCodes).sum().getLong();
      out.printf("  reference sampler: %d positions timed: %.1f s wall, %.1f s cpu per position ->"
          + " %.1f codes/s wall, %.1f codes/s cpu (full grid extrapolated: %.0f s wall)%n",
          plainPositions, plain[0], plain[1], BATCH / plain[0], BATCH / plain[1], plain[0] * SIDE * SIDE);
      out.printf("  fast sampler:      %d rows timed: %.3f s wall, %.3f s cpu per position ->"
          + " %.1f codes/s wall, %.1f codes/s cpu (full grid ~%.0f s wall)%n", rows, fast[0],
          fast[1], BATCH / fast[0], BATCH / fast[1], fast[0] * SIDE * SIDE);
      out.printf("  boundary guard:    full pass on %d of %d positions (%.1f%%, tolerance %.0e x max"
          + " |logit|); worst |fast - full| on them %.3f x tolerance; fell back: %b%n",
          stats.guardedPositions().size(), stats.positions(), 100 * stats.guardRate(),
          ReceptiveFieldSampler.LOGIT_TOLERANCE, stats.worstDiscrepancy(), stats.fellBack());
      out.printf("  without the guard: %.3f s wall, %.3f s cpu per position -> %.1f codes/s wall;"
          + " codes differing from the guarded run: %d of %d%n", bare[0], bare[1], BATCH / bare[0],
          bareDiffers, BATCH * rows * SIDE);
      out.printf("  speed-up: %.1fx wall, %.1fx cpu; same codes on the shared positions: %b%n",
          plain[0] / fast[0], plain[1] / fast[1], same);
    }
    trainStep(device, out, channels, layers);
  }

  private static void trainStep(Device device, PrintStream out, int channels, int layers) {
    int side = 16;
    int batch = 32;
    Engine.getInstance().setRandomSeed(0);
    try (NDManager manager = NDManager.newBaseManager(device)) {
      GatedPixelCnn prior = new GatedPixelCnn(config(channels, layers),
          new PriorContext(K, side, side, 0, 0, 0, 10)).initialize(manager);
      List<Parameter> params = new ArrayList<>();
      prior.getParameters().forEach(p -> params.add(p.getValue()));
      TrainerConfig config = new TrainerConfig(device.toString(), 100, 0, batch, 3e-4,
          List.of(0.9, 0.999), 0, 0, TrainerConfig.Schedule.CONSTANT, 0, 1.0, 1, 1, 0, 1, 1);
      ParameterStore ps = new ParameterStore(manager, false);
      int warmup = 2;
      int timed = 5;
      Timer t = null;
      try (AdamOptimizer adam = new AdamOptimizer(params, config, manager)) {
        for (int step = 1; step <= warmup + timed; step++) {
          if (step == warmup + 1) {
            t = Timer.start();
          }
          try (NDManager scope = manager.newSubManager()) {
            NDArray codes = scope.randomInteger(0, K, new Shape(batch, side, side), DataType.INT64);
            NDArray labels = scope.randomInteger(0, 10, new Shape(batch), DataType.INT64);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              gc.backward(prior.natsPerCode(ps, codes, new PriorCondition(labels, null, null), true));
            }
            adam.step(step, scope).getFloat();
          }
        }
      }
      double[] ms = t.stop(timed);
      out.printf("  training step (forward + backward + Adam), grid %dx%d, batch %d, same prior:"
          + " %.0f ms wall, %.0f ms cpu per step (%d steps after %d warm-up)%n", side, side, batch,
          ms[0] * 1000, ms[1] * 1000, timed, warmup);
    }
  }

  private static GatedPixelCnnConfig config(int channels, int layers) {
    return new GatedPixelCnnConfig(channels, layers, 3, 0.0, true, 64, 2);
  }

  /** Wall and process CPU seconds per unit. */
  private record Timer(long wall, long cpu) {
    static Timer start() {
      return new Timer(System.nanoTime(), ProcessCpu.nanos());
    }

    double[] stop(int units) {
      return new double[] {(System.nanoTime() - wall) / 1e9 / units, (ProcessCpu.nanos() - cpu) / 1e9 / units};
    }
  }
}
