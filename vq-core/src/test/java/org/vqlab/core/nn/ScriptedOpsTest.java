package org.vqlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class ScriptedOpsTest {

  /** The definition: out[o, s i - p + ky, s j - p + kx] += x[c, i, j] w[c, o, ky, kx], plus b[o]. */
  private static float[] reference(float[] x, float[] w, float[] b, int n, int c, int h, int wd, int f,
      int k, int s, int p) {
    int oh = (h - 1) * s - 2 * p + k;
    int ow = (wd - 1) * s - 2 * p + k;
    float[] out = new float[n * f * oh * ow];
    for (int img = 0; img < n; img++) {
      for (int o = 0; o < f; o++) {
        for (int y = 0; y < oh * ow; y++) {
          out[(img * f + o) * oh * ow + y] = b[o];
        }
        for (int ci = 0; ci < c; ci++) {
          for (int i = 0; i < h; i++) {
            for (int j = 0; j < wd; j++) {
              for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                  int y = s * i - p + ky;
                  int xo = s * j - p + kx;
                  if (y >= 0 && y < oh && xo >= 0 && xo < ow) {
                    out[((img * f + o) * oh + y) * ow + xo] += x[((img * c + ci) * h + i) * wd + j]
                        * w[((ci * f + o) * k + ky) * k + kx];
                  }
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void transposedConvolutionFollowsItsDefinitionAndRecordsItsGradient() {
    try (NDManager m = NDManager.newBaseManager()) {
      int[][] configs = {{2, 1}, {3, 0}};
      for (int[] sp : configs) {
        NDArray x = m.randomNormal(new Shape(2, 3, 4, 5));
        NDArray w = m.randomNormal(new Shape(3, 2, 4, 4));
        NDArray b = m.randomNormal(new Shape(2));
        w.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          y = ScriptedOps.convTranspose2d(x, w, b, sp[0], sp[1], true).orElseThrow();
          gc.backward(y.sum());
        }
        float[] ref = reference(x.toFloatArray(), w.toFloatArray(), b.toFloatArray(), 2, 3, 4, 5, 2, 4,
            sp[0], sp[1]);
        int oh = 3 * sp[0] - 2 * sp[1] + 4;
        int ow = 4 * sp[0] - 2 * sp[1] + 4;
        assertEquals(new Shape(2, 2, oh, ow), y.getShape());
        assertArrayEquals(ref, y.toFloatArray(), 1e-4f, "stride " + sp[0] + ", padding " + sp[1]);
        // d sum / d w[c, o, ky, kx] = the sum of x[:, c] over the positions whose output is inside.
        assertTrue(w.getGradient().abs().sum().getFloat() > 0, "no gradient reached the weight");
        assertEquals(y.getManager(), x.getManager());
      }
    }
  }

  @Test
  void theWeightGradientMatchesAFiniteDifference() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(1, 2, 3, 3));
      NDArray w = m.randomNormal(new Shape(2, 1, 4, 4));
      NDArray b = m.zeros(new Shape(1));
      NDArray t = m.randomNormal(new Shape(1, 1, 6, 6));
      w.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(ScriptedOps.convTranspose2d(x, w, b, 2, 1, true).orElseThrow().mul(t).sum());
      }
      float[] g = w.getGradient().toFloatArray();
      float[] wv = w.toFloatArray();
      float[] tv = t.toFloatArray();
      for (int i = 0; i < wv.length; i += 5) {
        float[] plus = wv.clone();
        plus[i] += 1;
        // The output is linear in w: the difference for a unit step is exact.
        float[] y1 = reference(x.toFloatArray(), plus, new float[1], 1, 2, 3, 3, 1, 4, 2, 1);
        float[] y0 = reference(x.toFloatArray(), wv, new float[1], 1, 2, 3, 3, 1, 4, 2, 1);
        double d = 0;
        for (int j = 0; j < y0.length; j++) {
          d += (y1[j] - y0[j]) * tv[j];
        }
        assertEquals(d, g[i], 1e-3, "weight " + i);
      }
    }
  }
}
