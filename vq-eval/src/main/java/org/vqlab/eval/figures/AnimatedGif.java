package org.vqlab.eval.figures;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.eval.report.AtomicFiles;

/**
 * Video samples as an animated GIF that loops forever, written with ImageIO alone: GIF frame t
 * shows, for each clip (one per row), real frame t | generated frame t side by side, with 2-pixel
 * borders. While t is one of the {@code given} context frames both get a 1-pixel marker ring.
 *
 * <p>GIF holds 256 colours per frame, so the palette is fixed rather than fitted: grayscale clips
 * use the 256 gray levels (values round-trip exactly; the context marker is white, other borders
 * gray 128), colour clips a 3-3-2 bit RGB cube (each channel rounded to the nearest of 8, 8 or 4
 * levels, so within 18, 18 and 43 of the 8-bit value; the marker is pure green, which the cube
 * holds exactly).
 */
public final class AnimatedGif {
  private static final int PAD = FrameStrips.PAD;
  private static final int GRAY_BORDER = 128;
  private static final int GRAY_CONTEXT = 255;

  private AnimatedGif() {}

  /**
   * Writes real and generated clips (B, T, C, H, W) in the normalised range, {@code delayMillis}
   * per frame (GIF counts in hundredths of a second), atomically.
   */
  public static void write(Path file, NDArray real, NDArray generated, int given,
      PixelNormalization norm, int delayMillis) throws IOException {
    ClipPixels a = ClipPixels.of(real, norm);
    ClipPixels b = ClipPixels.of(generated, norm);
    a.checkPair(b, given);
    if (delayMillis < 0) {
      throw new IllegalArgumentException("delay must be >= 0 ms, got " + delayMillis);
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
    if (!writers.hasNext()) {
      throw new IOException("no GIF writer available");
    }
    ImageWriter writer = writers.next();
    AtomicFiles.write(file, tmp -> {
      try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
        writer.setOutput(out);
        writer.prepareWriteSequence(null);
        for (int t = 0; t < a.frames(); t++) {
          BufferedImage frame = frame(a, b, t, t < given);
          ImageWriteParam param = writer.getDefaultWriteParam();
          IIOMetadata meta = writer.getDefaultImageMetadata(
              ImageTypeSpecifier.createFromRenderedImage(frame), param);
          frameMetadata(meta, (IndexColorModel) frame.getColorModel(), Math.round(delayMillis / 10f),
              t == 0);
          writer.writeToSequence(new IIOImage(frame, null, meta), param);
        }
        writer.endWriteSequence();
      } finally {
        writer.dispose();
      }
    }, ".gif");
  }

  /** One GIF frame: a row per clip, real | generated, as an indexed image on the fixed palette. */
  static BufferedImage frame(ClipPixels a, ClipPixels b, int t, boolean context) {
    boolean gray = a.channels() == 1;
    int h = a.height();
    int w = a.width();
    int width = 2 * (w + PAD) + PAD;
    int height = a.clips() * (h + PAD) + PAD;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED,
        gray ? grayPalette() : rgbPalette());
    WritableRaster raster = img.getRaster();
    int border = gray ? GRAY_BORDER : index(0x808080);
    int marker = gray ? GRAY_CONTEXT : index(FrameStrips.CONTEXT);
    fill(raster, 0, 0, width, height, border);
    for (int c = 0; c < a.clips(); c++) {
      int y0 = PAD + c * (h + PAD);
      for (int side = 0; side < 2; side++) {
        ClipPixels source = side == 0 ? a : b;
        int x0 = PAD + side * (w + PAD);
        if (context) {
          fill(raster, x0 - 1, y0 - 1, w + 2, h + 2, marker);
        }
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int v = gray ? source.value(c, t, 0, y, x) : index(source.rgb(c, t, y, x));
            raster.setSample(x0 + x, y0 + y, 0, v);
          }
        }
      }
    }
    return img;
  }

  private static void fill(WritableRaster r, int x0, int y0, int w, int h, int index) {
    for (int y = Math.max(0, y0); y < Math.min(r.getHeight(), y0 + h); y++) {
      for (int x = Math.max(0, x0); x < Math.min(r.getWidth(), x0 + w); x++) {
        r.setSample(x, y, 0, index);
      }
    }
  }

  private static IndexColorModel grayPalette() {
    byte[] v = new byte[256];
    for (int i = 0; i < 256; i++) {
      v[i] = (byte) i;
    }
    return new IndexColorModel(8, 256, v, v, v);
  }

  /** Index rrrgggbb: 8 red, 8 green and 4 blue levels spread evenly over 0..255. */
  private static IndexColorModel rgbPalette() {
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    for (int i = 0; i < 256; i++) {
      r[i] = (byte) Math.round((i >> 5) * 255 / 7f);
      g[i] = (byte) Math.round(((i >> 2) & 7) * 255 / 7f);
      b[i] = (byte) Math.round((i & 3) * 255 / 3f);
    }
    return new IndexColorModel(8, 256, r, g, b);
  }

  /** The palette index of the nearest 3-3-2 colour to 0xRRGGBB. */
  static int index(int rgb) {
    int r = Math.round(((rgb >> 16) & 0xff) * 7 / 255f);
    int g = Math.round(((rgb >> 8) & 0xff) * 7 / 255f);
    int b = Math.round((rgb & 0xff) * 3 / 255f);
    return (r << 5) | (g << 2) | b;
  }

  /**
   * The frame's palette as its local colour table (without it the JDK writer pairs the pixels
   * with its default global table), its delay (Graphic Control Extension), and on the first frame
   * the NETSCAPE2.0 application extension with loop count 0, which viewers read as "loop forever".
   */
  private static void frameMetadata(IIOMetadata meta, IndexColorModel palette, int centis,
      boolean first) throws IOException {
    String format = meta.getNativeMetadataFormatName();
    IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
    IIOMetadataNode table = child(root, "LocalColorTable");
    table.setAttribute("sizeOfLocalColorTable", Integer.toString(palette.getMapSize()));
    table.setAttribute("sortFlag", "FALSE");
    for (int i = 0; i < palette.getMapSize(); i++) {
      IIOMetadataNode entry = new IIOMetadataNode("ColorTableEntry");
      entry.setAttribute("index", Integer.toString(i));
      entry.setAttribute("red", Integer.toString(palette.getRed(i)));
      entry.setAttribute("green", Integer.toString(palette.getGreen(i)));
      entry.setAttribute("blue", Integer.toString(palette.getBlue(i)));
      table.appendChild(entry);
    }
    IIOMetadataNode control = child(root, "GraphicControlExtension");
    control.setAttribute("disposalMethod", "none");
    control.setAttribute("userInputFlag", "FALSE");
    control.setAttribute("transparentColorFlag", "FALSE");
    control.setAttribute("transparentColorIndex", "0");
    control.setAttribute("delayTime", Integer.toString(centis));
    if (first) {
      IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
      app.setAttribute("applicationID", "NETSCAPE");
      app.setAttribute("authenticationCode", "2.0");
      // Sub-block 1, then the loop count as unsigned 16-bit little endian: 0 = forever.
      app.setUserObject(new byte[] {1, 0, 0});
      child(root, "ApplicationExtensions").appendChild(app);
    }
    meta.setFromTree(format, root);
  }

  private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
    for (int i = 0; i < parent.getLength(); i++) {
      if (parent.item(i).getNodeName().equals(name)) {
        return (IIOMetadataNode) parent.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    parent.appendChild(node);
    return node;
  }
}
