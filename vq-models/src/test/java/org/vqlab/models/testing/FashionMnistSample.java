package org.vqlab.models.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import org.vqlab.core.data.PixelNormalization;

/** Test support: the first n Fashion-MNIST training images, straight from the IDX file. */
public final class FashionMnistSample {
  public static final String IMAGES = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

  private FashionMnistSample() {}

  /** (n, 1, 28, 28) float32 on the manager's device, normalised as {@code norm}. */
  public static NDArray load(NDManager manager, int n, PixelNormalization norm) throws IOException {
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(new FileInputStream(IMAGES)))) {
      if (in.readInt() != 2051) {
        throw new IOException(IMAGES + " is not an IDX image file");
      }
      int count = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      if (n > count) {
        throw new IOException("asked for " + n + " images, file has " + count);
      }
      byte[] bytes = new byte[n * rows * cols];
      in.readFully(bytes);
      float[] values = new float[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        values[i] = (float) norm.toFloat(bytes[i] & 0xff);
      }
      return manager.create(values, new Shape(n, 1, rows, cols));
    }
  }
}
