package org.vqlab.models.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code vq bench deconv}: the VQ-VAE decoder's two transposed convolutions (128 -> 64 at 7 x 7
 * and 64 -> 1 at 14 x 14, batch 128), forward and backward, computed by libtorch's transposed
 * convolution and in polyphase form from the same weights, alternating, for a row-major input and
 * a channels-last one (as after a quantizer). Prints the median and the fastest repetition of each
 * and which one the layer picks on this device ({@link PolyphaseConvTranspose2d#CPU_MIN_FILTERS}).
 */
public final class TransposedConvBenchmark {
  private TransposedConvBenchmark() {}

  public static void run(Device device, PrintStream out, int repeats) {
    int[][] layers = {{128, 64, 7}, {64, 1, 14}};
    PolyphaseConvTranspose2d.Kernel[] kernels = {PolyphaseConvTranspose2d.Kernel.LIBTORCH,
        PolyphaseConvTranspose2d.Kernel.POLYPHASE};
    try (NDManager m = NDManager.newBaseManager(device)) {
      for (int[] layer : layers) {
        for (boolean channelsLast : new boolean[] {false, true}) {
          PolyphaseConvTranspose2d block = new PolyphaseConvTranspose2d(layer[1]);
          int c = layer[0];
          int s = layer[2];
          block.initialize(m, DataType.FLOAT32, new Shape(128, c, s, s));
          NDArray x = channelsLast ? m.randomNormal(new Shape(128, s, s, c)).transpose(0, 3, 1, 2)
              : m.randomNormal(new Shape(128, c, s, s));
          x.setRequiresGradient(true);
          List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>());
          for (int r = 0; r < repeats + 3; r++) {
            for (int k = 0; k < kernels.length; k++) {
              block.kernel = kernels[k];
              double ms = step(block, x, m);
              if (r >= 3) {
                times.get(k).add(ms);
              }
            }
          }
          for (int k = 0; k < kernels.length; k++) {
            List<Double> t = times.get(k);
            Collections.sort(t);
            out.printf("deconv %3d -> %-2d at %2d x %-2d %-13s %-9s %7.2f ms median %7.2f ms fastest"
                + " (forward + backward, %d repetitions)%n", c, layer[1], s, s,
                channelsLast ? "channels-last" : "row-major", kernels[k].name().toLowerCase(java.util.Locale.ROOT),
                t.get(t.size() / 2), t.get(0), t.size());
          }
          block.kernel = PolyphaseConvTranspose2d.Kernel.AUTO;
          out.printf("  the layer uses: %s%n", block.usesLibtorch(device) ? "libtorch" : "polyphase");
        }
      }
    }
  }

  /** One forward and backward pass; waits for the input's gradient. */
  private static double step(PolyphaseConvTranspose2d block, NDArray x, NDManager m) {
    try (NDManager step = m.newSubManager()) {
      long t0 = System.nanoTime();
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = block.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
        y.attach(step);
        gc.backward(y.square().mean());
      }
      x.getGradient().toFloatArray();
      return (System.nanoTime() - t0) / 1e6;
    }
  }
}
