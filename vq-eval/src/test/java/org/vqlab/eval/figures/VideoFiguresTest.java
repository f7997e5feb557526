package org.vqlab.eval.figures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.data.PixelNormalization;

/** Frame strips (PNG) and animated GIFs of real vs generated clips decode to the exact frames. */
class VideoFiguresTest {
  private static final PixelNormalization NORM = PixelNormalization.CENTERED;
  private static final int B = 2;
  private static final int T = 3;
  private static final int H = 5;
  private static final int W = 4;

  @TempDir
  Path dir;

  /** 8-bit value of clip b, frame t, pixel (y, x), channel ch: distinct, spread over 0..255. */
  private static int value(int b, int t, int y, int x, int ch, int salt) {
    return (b * 97 + t * 41 + y * 13 + x * 5 + ch * 71 + salt) % 256;
  }

  private static NDArray clips(NDManager m, int channels, int salt) {
    float[] v = new float[B * T * channels * H * W];
    int i = 0;
    for (int b = 0; b < B; b++) {
      for (int t = 0; t < T; t++) {
        for (int ch = 0; ch < channels; ch++) {
          for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
              v[i++] = (float) NORM.toFloat(value(b, t, y, x, ch, salt));
            }
          }
        }
      }
    }
    return m.create(v, new Shape(B, T, channels, H, W));
  }

  @Test
  void stripsShowRealOverGeneratedWithTheContextFramed() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path file = dir.resolve("strips.png");
      FrameStrips.writePng(file, clips(m, 1, 0), clips(m, 1, 128), 1, NORM);
      BufferedImage img = ImageIO.read(file.toFile());
      assertEquals(2 + T * (W + 2), img.getWidth());
      assertEquals(2 + 2 * B * (H + 2), img.getHeight());
      for (int b = 0; b < B; b++) {
        for (int row = 0; row < 2; row++) {
          for (int t = 0; t < T; t++) {
            int x0 = 2 + t * (W + 2);
            int y0 = 2 + (2 * b + row) * (H + 2);
            for (int y = 0; y < H; y++) {
              for (int x = 0; x < W; x++) {
                int v = value(b, t, y, x, 0, row == 0 ? 0 : 128);
                assertEquals(v * 0x010101, img.getRGB(x0 + x, y0 + y) & 0xffffff);
              }
            }
            // The ring just left of the frame: green for the context frame 0, gray otherwise;
            // the pixel beyond it is the previous frame's right ring.
            int ring = img.getRGB(x0 - 1, y0 + 2) & 0xffffff;
            assertEquals(t < 1 ? FrameStrips.CONTEXT : FrameStrips.BACKGROUND, ring, "t=" + t);
            assertEquals(t == 1 ? FrameStrips.CONTEXT : FrameStrips.BACKGROUND,
                img.getRGB(x0 - 2, y0 + 2) & 0xffffff, "t=" + t);
          }
        }
      }
    }
  }

  @Test
  void grayGifHasEveryFrameExactlyAndLoopsForever() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path file = dir.resolve("clips.gif");
      AnimatedGif.write(file, clips(m, 1, 0), clips(m, 1, 128), 2, NORM, 250);
      Decoded gif = decode(file.toFile());
      assertEquals(T, gif.frames.length);
      for (int t = 0; t < T; t++) {
        BufferedImage f = gif.frames[t];
        assertEquals(2 + 2 * (W + 2), f.getWidth());
        assertEquals(2 + B * (H + 2), f.getHeight());
        for (int b = 0; b < B; b++) {
          int y0 = 2 + b * (H + 2);
          for (int side = 0; side < 2; side++) {
            int x0 = 2 + side * (W + 2);
            for (int y = 0; y < H; y++) {
              for (int x = 0; x < W; x++) {
                int v = value(b, t, y, x, 0, side == 0 ? 0 : 128);
                assertEquals(v * 0x010101, f.getRGB(x0 + x, y0 + y) & 0xffffff,
                    "frame " + t + " clip " + b + (side == 0 ? " real" : " generated"));
              }
            }
            assertEquals((t < 2 ? 255 : 128) * 0x010101, f.getRGB(x0 - 1, y0) & 0xffffff);
            assertEquals((side == 1 && t < 2 ? 255 : 128) * 0x010101, f.getRGB(x0 - 2, y0) & 0xffffff);
          }
        }
        assertEquals(25, gif.delays[t], "hundredths of a second");
      }
      assertArrayEquals(new byte[] {1, 0, 0}, gif.loop);
    }
  }

  @Test
  void colourGifIsWithinHalfAPaletteStep() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Path file = dir.resolve("colour.gif");
      AnimatedGif.write(file, clips(m, 3, 0), clips(m, 3, 60), 0, NORM, 100);
      Decoded gif = decode(file.toFile());
      assertEquals(T, gif.frames.length);
      // 8, 8 and 4 levels: half a step is 255/14 and 255/6.
      double[] tolerance = {255 / 14.0, 255 / 14.0, 255 / 6.0};
      double[] worst = new double[3];
      for (int t = 0; t < T; t++) {
        for (int b = 0; b < B; b++) {
          for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
              int rgb = gif.frames[t].getRGB(2 + x, 2 + b * (H + 2) + y);
              for (int ch = 0; ch < 3; ch++) {
                int got = (rgb >> (16 - 8 * ch)) & 0xff;
                worst[ch] = Math.max(worst[ch], Math.abs(got - value(b, t, y, x, ch, 0)));
              }
            }
          }
        }
      }
      for (int ch = 0; ch < 3; ch++) {
        assertTrue(worst[ch] <= tolerance[ch] + 0.5, "channel " + ch + " off by " + worst[ch]);
      }
      assertTrue(worst[2] > 0, "a 4-level channel cannot hold 60 distinct values exactly");
    }
  }

  private record Decoded(BufferedImage[] frames, int[] delays, byte[] loop) {}

  private static Decoded decode(File file) throws Exception {
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(file)) {
      reader.setInput(in);
      int n = reader.getNumImages(true);
      BufferedImage[] frames = new BufferedImage[n];
      int[] delays = new int[n];
      byte[] loop = null;
      for (int i = 0; i < n; i++) {
        frames[i] = reader.read(i);
        IIOMetadata meta = reader.getImageMetadata(i);
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(meta.getNativeMetadataFormatName());
        IIOMetadataNode control = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
        delays[i] = Integer.parseInt(control.getAttribute("delayTime"));
        var apps = root.getElementsByTagName("ApplicationExtension");
        for (int a = 0; a < apps.getLength(); a++) {
          IIOMetadataNode app = (IIOMetadataNode) apps.item(a);
          if ("NETSCAPE".equals(app.getAttribute("applicationID"))
              && "2.0".equals(app.getAttribute("authenticationCode"))) {
            loop = (byte[]) app.getUserObject();
          }
        }
      }
      return new Decoded(frames, delays, loop);
    } finally {
      reader.dispose();
    }
  }
}
