package org.vqlab.eval.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.data.PixelNormalization;

class ImageGridTest {
  @TempDir
  Path dir;

  @Test
  void pngHoldsTheExactEightBitValues() throws Exception {
    PixelNormalization norm = PixelNormalization.CENTERED;
    try (NDManager m = NDManager.newBaseManager()) {
      // Two 1 x 2 x 3 grayscale images with values 0..5 and 250..255 (as bytes), normalised.
      float[] raw = {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255};
      float[] normalised = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        normalised[i] = (float) norm.toFloat((int) raw[i]);
      }
      NDArray top = m.create(normalised).reshape(2, 1, 2, 3);
      NDArray bottom = top.neg();
      Path file = dir.resolve("grid.png");
      ImageGrid.writePng(file, List.of(top, bottom), norm, 8);
      BufferedImage img = ImageIO.read(file.toFile());
      // 2 columns of width 3 with 2-pixel borders; 2 rows of height 2.
      assertEquals(2 + 2 * (3 + 2), img.getWidth());
      assertEquals(2 + 2 * (2 + 2), img.getHeight());
      assertEquals(5, img.getRGB(2 + 2, 2 + 1) & 0xff);          // first image, row 1, col 2
      assertEquals(250, img.getRGB(2 + 5, 2) & 0xff);           // second image, row 0, col 0
      // The bottom row is the negation: -x maps 0 -> 255 in [-0.5, 0.5].
      assertEquals(255, img.getRGB(2, 2 + 4) & 0xff);
      assertEquals(0x80, img.getRGB(0, 0) & 0xff);              // border
    }
  }
}
