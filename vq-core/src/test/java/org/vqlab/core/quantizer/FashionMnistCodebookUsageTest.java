package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Codebook health on real data: 4x4 pixel patches of Fashion-MNIST (D = 16) quantised with K = 512
 * codes. With the EMA defaults (k-means init, dead-code restarts) at least 80% of the codes are
 * used over a pass of held-out images; the plain configuration (N(0,1) init, no restarts) uses far
 * fewer. No encoder is trained here: this isolates what the quantizer's own options do.
 */
class FashionMnistCodebookUsageTest {
  private static final Path DIR = Paths.get("/usr/share/datasets/fashion-mnist");

  /** (images x 49, 16) patch vectors of the first {@code count} images, pixels in [0, 1]. */
  private static NDArray patches(NDManager manager, String file, int count) throws IOException {
    byte[] pixels;
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(
        DIR.resolve(file)))); DataInputStream data = new DataInputStream(in)) {
      if (data.readInt() != 2051) {
        throw new IOException(file + " is not an idx3 image file");
      }
      int n = Math.min(count, data.readInt());
      int rows = data.readInt();
      int cols = data.readInt();
      pixels = new byte[n * rows * cols];
      data.readFully(pixels);
    }
    int n = pixels.length / 784;
    NDArray images = manager.create(pixels, new Shape(n, 7, 4, 7, 4))
        .toType(DataType.FLOAT32, false).div(255f);
    // (n, 7, 4, 7, 4) -> (n, 7, 7, 4, 4) -> (n * 49, 16)
    return images.transpose(0, 1, 3, 2, 4).reshape(n * 49L, 16);
  }

  private static double usage(EmaQuantizerConfig config, NDArray train, NDArray test) {
    NDManager manager = train.getManager();
    ParameterStore ps = new ParameterStore(manager, false);
    EmaVectorQuantizer q = QuantizerFixtures.initialized(new EmaVectorQuantizer(config), manager);
    long batch = 128 * 49;
    for (long start = 0; start + batch <= train.getShape().get(0); start += batch) {
      try (NDManager step = manager.newSubManager()) {
        NDArray z = train.get("{}:{}", start, start + batch);
        z.attach(step);
        q.quantize(ps, z, true);
      }
    }
    try (CodebookUsage pass = CodebookUsage.start(q, manager)) {
      pass.add(q.quantize(ps, test, false).indices());
      return pass.summary().usedFraction();
    }
  }

  @Test
  void emaDefaultsUseAtLeast80PercentOfTheCodebook() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(DIR), "Fashion-MNIST not installed at " + DIR);
    Engine.getInstance().setRandomSeed(1);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray train = patches(manager, "train-images-idx3-ubyte.gz", 1280);
      NDArray test = patches(manager, "t10k-images-idx3-ubyte.gz", 1000);
      // The defaults of config/quantizer/ema.conf, with D = 16.
      double healthy = usage(new EmaQuantizerConfig(512, 16, 0.25, 0.99, 1e-5, true,
          CodebookInit.KMEANS, 10, CodeDistance.L2, 1.0, 8192), train, test);
      double plain = usage(new EmaQuantizerConfig(512, 16, 0.25, 0.99, 1e-5, true,
          CodebookInit.NORMAL, 0, CodeDistance.L2, 0.0, 8192), train, test);
      assertTrue(healthy >= 0.8, "usage with codebook-health defaults: " + healthy);
      assertTrue(plain < healthy, "plain " + plain + " vs healthy " + healthy);
      System.out.printf("Fashion-MNIST 4x4 patches, K=512: code usage %.3f (ema defaults),"
          + " %.3f (normal init, no restarts)%n", healthy, plain);
    }
  }
}
