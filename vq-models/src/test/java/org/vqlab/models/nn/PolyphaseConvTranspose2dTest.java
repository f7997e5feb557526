package org.vqlab.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.engine.Engine;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vqlab.core.nn.MemoryLayout;

class PolyphaseConvTranspose2dTest {

  /**
   * Compares with the definition of a 4 x 4, stride 2, padding 1 transposed convolution, for an
   * input stored row-major and one stored channels-last (as a decoder's after a quantizer): the
   * layer arranges its interleave by the layout.
   */
  @ParameterizedTest(name = "channels-last {0}, libtorch kernel {1}")
  @CsvSource({"false,false", "true,false", "false,true", "true,true"})
  void equalsTheTransposedConvolutionItsPhasesDefine(boolean channelsLast, boolean nativeKernel) {
    int cin = 3;
    int cout = 2;
    int h = 3;
    int w = 4;
    try (NDManager m = NDManager.newBaseManager()) {
      PolyphaseConvTranspose2d block = new PolyphaseConvTranspose2d(cout);
      block.kernel = nativeKernel ? PolyphaseConvTranspose2d.Kernel.LIBTORCH : PolyphaseConvTranspose2d.Kernel.POLYPHASE;
      block.initialize(m, DataType.FLOAT32, new Shape(2, cin, h, w));
      NDArray bias = block.getParameters().get("bias").getArray();
      bias.set(m.create(new float[] {0.5f, -0.25f}).toByteBuffer());
      NDArray x = channelsLast ? m.randomNormal(new Shape(2, h, w, cin)).transpose(0, 3, 1, 2)
          : m.randomNormal(new Shape(2, cin, h, w));
      assertEquals(!channelsLast, MemoryLayout.isRowMajor(x).orElseThrow());
      float[] y = block.forward(new ParameterStore(m, false), new NDList(x), false)
          .singletonOrThrow().toFloatArray();
      float[] xv = x.toFloatArray();
      float[] pw = block.getParameters().stream().filter(p -> p.getKey().endsWith("weight"))
          .findFirst().orElseThrow().getValue().getArray().toFloatArray();
      // Phase (a, b), tap (u, v) is the 4 x 4 kernel's tap (3 - a - 2u, 3 - b - 2v).
      double[][][][] k = new double[cout][cin][4][4];
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
              for (int u = 0; u < 2; u++) {
                for (int v = 0; v < 2; v++) {
                  int oc = (2 * a + b) * cout + o;
                  k[o][c][3 - a - 2 * u][3 - b - 2 * v] = pw[((oc * cin + c) * 2 + u) * 2 + v];
                }
              }
            }
          }
        }
      }
      // Two images, so that the phases' interleaving is checked across the batch too.
      int images = 2;
      int size = cout * 2 * h * 2 * w;
      double[] ref = new double[images * size];
      for (int n = 0; n < images; n++) {
        for (int o = 0; o < cout; o++) {
          double bo = o == 0 ? 0.5 : -0.25;
          for (int i = 0; i < 2 * h * 2 * w; i++) {
            ref[n * size + o * 4 * h * w + i] = bo;
          }
          for (int c = 0; c < cin; c++) {
            for (int j = 0; j < h; j++) {
              for (int l = 0; l < w; l++) {
                for (int k1 = 0; k1 < 4; k1++) {
                  for (int k2 = 0; k2 < 4; k2++) {
                    int oy = 2 * j + k1 - 1;
                    int ox = 2 * l + k2 - 1;
                    if (oy >= 0 && oy < 2 * h && ox >= 0 && ox < 2 * w) {
                      ref[n * size + (o * 2 * h + oy) * 2 * w + ox] +=
                          xv[((n * cin + c) * h + j) * w + l] * k[o][c][k1][k2];
                    }
                  }
                }
              }
            }
          }
        }
      }
      assertEquals(ref.length, y.length);
      for (int i = 0; i < ref.length; i++) {
        assertEquals(ref[i], y[i], 1e-4, "output " + i);
      }
    }
  }

  /**
   * Both arrangements of the interleave, and libtorch's transposed convolution from the same
   * weights, give the same gradients, of the input and the weights.
   */
  @Test
  void theGradientsDoNotDependOnTheInputsLayoutOrTheKernel() {
    try (NDManager m = NDManager.newBaseManager()) {
      PolyphaseConvTranspose2d block = new PolyphaseConvTranspose2d(3);
      block.initialize(m, DataType.FLOAT32, new Shape(2, 4, 5, 6));
      NDArray nhwc = m.randomNormal(new Shape(2, 5, 6, 4));
      NDArray target = m.randomNormal(new Shape(2, 3, 10, 12));
      float[][] grads = new float[8][];
      for (int run = 0; run < 4; run++) {
        int layout = run % 2;
        block.kernel = run >= 2 ? PolyphaseConvTranspose2d.Kernel.LIBTORCH : PolyphaseConvTranspose2d.Kernel.POLYPHASE;
        NDArray x = layout == 0 ? m.create(nhwc.transpose(0, 3, 1, 2).toFloatArray(), new Shape(2, 4, 5, 6))
            : nhwc.transpose(0, 3, 1, 2);
        assertEquals(layout == 0, MemoryLayout.isRowMajor(x).orElseThrow());
        x.setRequiresGradient(true);
        NDArray weight = block.getParameters().stream().filter(p -> p.getKey().endsWith("weight"))
            .findFirst().orElseThrow().getValue().getArray();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
          gc.backward(y.mul(target).sum());
        }
        grads[2 * run] = x.getGradient().toFloatArray();
        grads[2 * run + 1] = weight.getGradient().toFloatArray();
        weight.getGradient().muli(0); // the next backward pass would add to it
      }
      for (int k = 2; k < 8; k++) {
        assertEquals(grads[k % 2].length, grads[k].length);
        for (int i = 0; i < grads[k].length; i++) {
          assertEquals(grads[k % 2][i], grads[k][i], 1e-4, "run " + k / 2 + ": "
              + (k % 2 == 0 ? "input" : "weight") + " gradient " + i);
        }
      }
    }
  }
}
