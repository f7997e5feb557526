package org.vqlab.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PSNR and SSIM against closed forms and a plain-Java reference of the SSIM definition. */
class ImageQualityTest {

  @Test
  void psnrOfAKnownMse() {
    assertEquals(20.0, ImageQuality.psnr(0.01), 1e-12);
    assertEquals(40.0, ImageQuality.psnr(1e-4), 1e-12);
    // MSE of 1/255^2 (every pixel off by one level) is the classic 48.13 dB.
    assertEquals(48.1308036, ImageQuality.psnr(1 / (255.0 * 255.0)), 1e-6);
  }

  @Test
  void gaussianWindowIsNormalisedAndSymmetric() {
    double[] g = ImageQuality.gaussian1d();
    assertEquals(1.0, java.util.Arrays.stream(g).sum(), 1e-12);
    // exp(-25 / 4.5) relative to the centre: the edge weight of sigma 1.5 at distance 5.
    assertEquals(Math.exp(-25 / 4.5), g[0] / g[5], 1e-12);
    assertEquals(g[1], g[9], 0);
  }

  @Test
  void ssimOfIdenticalImagesIsOne() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomUniform(0, 1, new Shape(3, 2, 16, 13));
      assertArrayEquals(new float[] {1, 1, 1}, ImageQuality.ssim(x, x).toFloatArray(), 1e-6f);
    }
  }

  @Test
  void ssimOfTwoConstantImagesIsTheLuminanceTerm() {
    // No variance: SSIM = (2 a b + C1) / (a^2 + b^2 + C1) with C1 = 0.01^2 (the C2 terms cancel).
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.full(new Shape(1, 1, 11, 11), 0.5f);
      NDArray y = m.full(new Shape(1, 1, 11, 11), 0.25f);
      double expected = (2 * 0.5 * 0.25 + 1e-4) / (0.25 + 0.0625 + 1e-4);
      assertEquals(0.8000640, expected, 1e-6);
      assertEquals(expected, ImageQuality.ssim(x, y).getFloat(0), 1e-6);
    }
  }

  @Test
  void ssimOfAFixedPairMatchesTheDefinitionComputedByHand() {
    int h = 13;
    int w = 12;
    double[][] x = new double[h][w];
    double[][] y = new double[h][w];
    Random r = new Random(11);
    float[] xs = new float[h * w];
    float[] ys = new float[h * w];
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        x[i][j] = r.nextInt(256) / 255.0;
        y[i][j] = Math.min(1, Math.max(0, x[i][j] + (r.nextDouble() - 0.5) * 0.4));
        xs[i * w + j] = (float) x[i][j];
        ys[i * w + j] = (float) y[i][j];
      }
    }
    double expected = referenceSsim(x, y);
    try (NDManager m = NDManager.newBaseManager()) {
      double ssim = ImageQuality.ssim(m.create(xs, new Shape(1, 1, h, w)),
          m.create(ys, new Shape(1, 1, h, w))).getFloat(0);
      assertEquals(expected, ssim, 1e-5);
    }
    // A noisy copy: similar, but clearly short of identical.
    assertEquals(0.952, expected, 1e-3);
  }

  /** The SSIM definition in plain doubles: Gaussian-weighted statistics over each valid window. */
  private static double referenceSsim(double[][] x, double[][] y) {
    int n = 11;
    double[][] g = new double[n][n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        g[i][j] = Math.exp(-((i - 5) * (i - 5) + (j - 5) * (j - 5)) / (2 * 1.5 * 1.5));
        total += g[i][j];
      }
    }
    double c1 = 0.01 * 0.01;
    double c2 = 0.03 * 0.03;
    double sum = 0;
    int count = 0;
    for (int a = 0; a + n <= x.length; a++) {
      for (int b = 0; b + n <= x[0].length; b++) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            mx += g[i][j] / total * x[a + i][b + j];
            my += g[i][j] / total * y[a + i][b + j];
          }
        }
        double vx = 0;
        double vy = 0;
        double cxy = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            double wgt = g[i][j] / total;
            vx += wgt * (x[a + i][b + j] - mx) * (x[a + i][b + j] - mx);
            vy += wgt * (y[a + i][b + j] - my) * (y[a + i][b + j] - my);
            cxy += wgt * (x[a + i][b + j] - mx) * (y[a + i][b + j] - my);
          }
        }
        sum += (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        count++;
      }
    }
    return sum / count;
  }
}
