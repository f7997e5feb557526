package org.vqlab.eval.figures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.eval.report.AtomicFiles;

/**
 * Writes batches of images as one PNG grid: each batch is a row block, images left to right,
 * with a 2-pixel border. Pixels are mapped back to 8 bits with the dataset's normalisation, the
 * same mapping bits/dim uses, so a grid shows exactly the discrete values.
 */
public final class ImageGrid {
  private static final int PAD = 2;
  private static final int BACKGROUND = 0x808080;

  private ImageGrid() {}

  /**
   * Rows of images: each array is (N, C, H, W) with C = 1 or 3, in the normalised range; at most
   * {@code columns} images per row.
   */
  public static BufferedImage render(List<NDArray> rows, PixelNormalization norm, int columns) {
    Shape s = rows.get(0).getShape();
    int channels = (int) s.get(1);
    int h = (int) s.get(2);
    int w = (int) s.get(3);
    int cols = (int) Math.min(columns, s.get(0));
    int width = cols * (w + PAD) + PAD;
    int height = rows.size() * (h + PAD) + PAD;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, BACKGROUND);
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      NDArray row = rows.get(r);
      if (row.getShape().get(1) != channels || row.getShape().get(2) != h || row.getShape().get(3) != w) {
        throw new IllegalArgumentException("grid rows differ in shape: " + row.getShape() + " vs " + s);
      }
      // One host transfer per row, in 8-bit values.
      NDArray bytes = row.sub(norm.low()).div(norm.high() - norm.low()).mul(255).round().clip(0, 255)
          .toType(DataType.FLOAT32, false);
      float[] v = bytes.toFloatArray();
      bytes.close();
      int n = (int) Math.min(cols, row.getShape().get(0));
      for (int i = 0; i < n; i++) {
        int x0 = PAD + i * (w + PAD);
        int y0 = PAD + r * (h + PAD);
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int base = i * channels * h * w + y * w + x;
            int red = (int) v[base];
            int green = channels == 3 ? (int) v[base + h * w] : red;
            int blue = channels == 3 ? (int) v[base + 2 * h * w] : red;
            img.setRGB(x0 + x, y0 + y, (red << 16) | (green << 8) | blue);
          }
        }
      }
    }
    return img;
  }

  /** Renders and writes a PNG atomically (temporary file, then rename). */
  public static void writePng(Path file, List<NDArray> rows, PixelNormalization norm, int columns)
      throws IOException {
    writePng(file, render(rows, norm, columns));
  }

  /** Writes any image as a PNG atomically (temporary file, then rename). */
  static void writePng(Path file, BufferedImage img) throws IOException {
    AtomicFiles.write(file, tmp -> {
      if (!ImageIO.write(img, "png", tmp.toFile())) {
        throw new IOException("no PNG writer available");
      }
    }, ".png");
  }
}
