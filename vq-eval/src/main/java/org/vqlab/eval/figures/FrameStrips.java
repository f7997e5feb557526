package org.vqlab.eval.figures;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.vqlab.core.data.PixelNormalization;

/**
 * Video samples as a PNG of frame strips: for each clip, its real frames in one row and the
 * generated ones (the first {@code given} frames being the context the prior was given) in the
 * row below, in the {@link ImageGrid} style (2-pixel gray borders). Context frames get a green
 * 1-pixel ring in both rows so the eye finds where generation starts.
 */
public final class FrameStrips {
  static final int PAD = 2;
  static final int BACKGROUND = 0x808080;
  static final int CONTEXT = 0x00ff00;

  private FrameStrips() {}

  /** real and generated clips (B, T, C, H, W) in the normalised range; T frames per row. */
  public static BufferedImage render(NDArray real, NDArray generated, int given,
      PixelNormalization norm) {
    ClipPixels a = ClipPixels.of(real, norm);
    ClipPixels b = ClipPixels.of(generated, norm);
    a.checkPair(b, given);
    int h = a.height();
    int w = a.width();
    int width = a.frames() * (w + PAD) + PAD;
    int height = 2 * a.clips() * (h + PAD) + PAD;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    fill(img, 0, 0, width, height, BACKGROUND);
    for (int c = 0; c < a.clips(); c++) {
      for (int row = 0; row < 2; row++) {
        ClipPixels source = row == 0 ? a : b;
        int y0 = PAD + (2 * c + row) * (h + PAD);
        for (int t = 0; t < a.frames(); t++) {
          int x0 = PAD + t * (w + PAD);
          if (t < given) {
            // A 1-pixel ring, so a gray pixel still separates it from the next frame.
            fill(img, x0 - 1, y0 - 1, w + 2, h + 2, CONTEXT);
          }
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              img.setRGB(x0 + x, y0 + y, source.rgb(c, t, y, x));
            }
          }
        }
      }
    }
    return img;
  }

  /** Renders and writes a PNG atomically (temporary file, then rename). */
  public static void writePng(Path file, NDArray real, NDArray generated, int given,
      PixelNormalization norm) throws IOException {
    ImageGrid.writePng(file, render(real, generated, given, norm));
  }

  static void fill(BufferedImage img, int x0, int y0, int w, int h, int rgb) {
    for (int y = Math.max(0, y0); y < Math.min(img.getHeight(), y0 + h); y++) {
      for (int x = Math.max(0, x0); x < Math.min(img.getWidth(), x0 + w); x++) {
        img.setRGB(x, y, rgb);
      }
    }
  }
}
