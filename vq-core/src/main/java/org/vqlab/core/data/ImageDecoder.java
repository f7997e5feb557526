package org.vqlab.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.color.ColorSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Decodes PNG and JPEG files (ImageIO) to 8-bit planes (C, size, size): the shorter side is scaled
 * to {@code size} and the centre cropped. Pixels are read from the raster, not through Java2D
 * drawing, so gray images keep their exact values (Java2D would convert linear gray to sRGB).
 */
final class ImageDecoder {
  private ImageDecoder() {}

  static boolean isImageFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p)
        && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
  }

  static byte[] decode(Path file, int size, ColorMode color) {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new DatasetError("unreadable image " + file + ": " + e.getMessage()
          + " (expected a PNG or JPEG file)", e);
    }
    if (image == null) {
      throw new DatasetError("unreadable image " + file + ": ImageIO found no decoder for it"
          + " (expected a PNG or JPEG file)");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int c = color.channels();
    float[][] planes = planes(image, color);
    byte[] out = new byte[c * size * size];
    double scale = (double) size / Math.min(w, h);
    // Offsets of the centred crop in scaled coordinates.
    double offX = (w * scale - size) / 2;
    double offY = (h * scale - size) / 2;
    for (int ch = 0; ch < c; ch++) {
      float[] plane = planes[ch];
      for (int oy = 0; oy < size; oy++) {
        double y0 = (oy + offY) / scale;
        double y1 = (oy + 1 + offY) / scale;
        for (int ox = 0; ox < size; ox++) {
          double x0 = (ox + offX) / scale;
          double x1 = (ox + 1 + offX) / scale;
          float v = scale == 1.0 && offX == Math.rint(offX) && offY == Math.rint(offY)
              ? plane[(int) Math.rint(y0) * w + (int) Math.rint(x0)]
              : resample(plane, w, h, x0, x1, y0, y1);
          out[(ch * size + oy) * size + ox] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    return out;
  }

  /** Area average when shrinking, bilinear at the centre when enlarging. */
  private static float resample(float[] p, int w, int h, double x0, double x1, double y0, double y1) {
    if (x1 - x0 <= 1 && y1 - y0 <= 1) {
      double cx = Math.max(0, Math.min(w - 1, (x0 + x1) / 2 - 0.5));
      double cy = Math.max(0, Math.min(h - 1, (y0 + y1) / 2 - 0.5));
      int ix = (int) cx;
      int iy = (int) cy;
      int jx = Math.min(w - 1, ix + 1);
      int jy = Math.min(h - 1, iy + 1);
      double fx = cx - ix;
      double fy = cy - iy;
      return (float) ((1 - fy) * ((1 - fx) * p[iy * w + ix] + fx * p[iy * w + jx])
          + fy * ((1 - fx) * p[jy * w + ix] + fx * p[jy * w + jx]));
    }
    int xa = Math.max(0, (int) Math.floor(x0));
    int xb = Math.min(w, Math.max(xa + 1, (int) Math.ceil(x1)));
    int ya = Math.max(0, (int) Math.floor(y0));
    int yb = Math.min(h, Math.max(ya + 1, (int) Math.ceil(y1)));
    double sum = 0;
    for (int y = ya; y < yb; y++) {
      for (int x = xa; x < xb; x++) {
        sum += p[y * w + x];
      }
    }
    return (float) (sum / ((xb - xa) * (yb - ya)));
  }

  private static float[][] planes(BufferedImage image, ColorMode color) {
    int w = image.getWidth();
    int h = image.getHeight();
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    boolean gray = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel);
    float[][] rgb = new float[gray ? 1 : 3][w * h];
    if (gray) {
      int bits = raster.getSampleModel().getSampleSize(0);
      int shift = Math.max(0, bits - 8);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          rgb[0][y * w + x] = raster.getSample(x, y, 0) >> shift;
        }
      }
    } else {
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        image.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          rgb[0][y * w + x] = (row[x] >> 16) & 0xff;
          rgb[1][y * w + x] = (row[x] >> 8) & 0xff;
          rgb[2][y * w + x] = row[x] & 0xff;
        }
      }
    }
    if (color == ColorMode.RGB && gray) {
      return new float[][] {rgb[0], rgb[0], rgb[0]};
    }
    if (color == ColorMode.GRAY && !gray) {
      float[] luma = new float[w * h];
      for (int i = 0; i < luma.length; i++) {
        // ITU-R BT.601 luma, as PIL's convert("L").
        luma[i] = Math.round(0.299f * rgb[0][i] + 0.587f * rgb[1][i] + 0.114f * rgb[2][i]);
      }
      return new float[][] {luma};
    }
    return rgb;
  }
}
