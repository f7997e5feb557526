package org.vqlab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PNG folders written by the test with known pixels. */
class ImageFolderTest {
  @TempDir
  Path dir;

  /** An RGB image whose pixel (x, y) is (x + 10 y, 2x, 255 - y) plus {@code seed}. */
  static BufferedImage rgb(int w, int h, int seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (((x + 10 * y + seed) & 0xff) << 16) | (((2 * x + seed) & 0xff) << 8)
            | ((255 - y) & 0xff));
      }
    }
    return img;
  }

  static BufferedImage gray(int w, int h, int seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (x * 7 + y * 13 + seed) & 0xff);
      }
    }
    return img;
  }

  static void png(BufferedImage img, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    assertTrue(ImageIO.write(img, "png", file.toFile()));
  }

  @Test
  void classFoldersGiveSortedLabelsAndExactPixelsAtNativeSize() throws IOException {
    png(rgb(8, 8, 0), dir.resolve("train/cat/a.png"));
    png(rgb(8, 8, 1), dir.resolve("train/cat/b.png"));
    png(rgb(8, 8, 2), dir.resolve("train/ant/c.png"));
    png(rgb(8, 8, 3), dir.resolve("test/cat/d.png"));
    ImageFolderDataset train = ImageFolderDataset.builder().setRoot(dir.resolve("train"))
        .optTestRoot(dir.resolve("test")).optSize(8).build();
    train.prepare(null);
    assertEquals(List.of("ant", "cat"), train.classes());
    assertEquals(3, train.size());
    assertEquals(new Shape(3, 8, 8), train.itemShape());
    assertEquals(0, train.label(0));
    assertEquals(1, train.label(1));
    byte[] item = train.rawItem(1);
    // cat/a.png: seed 0; pixel (x=5, y=2) is R = 25, G = 10, B = 253.
    assertEquals(25, item[0 * 64 + 2 * 8 + 5] & 0xff);
    assertEquals(10, item[1 * 64 + 2 * 8 + 5] & 0xff);
    assertEquals(253, item[2 * 64 + 2 * 8 + 5] & 0xff);
    ImageFolderDataset test = ImageFolderDataset.builder().setRoot(dir.resolve("train"))
        .optTestRoot(dir.resolve("test")).optSize(8).optSplit(Split.TEST).build();
    test.prepare(null);
    assertEquals(1, test.size());
    assertEquals(1, test.label(0));
  }

  @Test
  void grayPngKeepsExactValues() throws IOException {
    png(gray(6, 6, 5), dir.resolve("g/0.png"));
    ImageFolderDataset d = ImageFolderDataset.builder().setRoot(dir.resolve("g"))
        .optTestFraction(0).optSize(6).optColor(ColorMode.GRAY).build();
    d.prepare(null);
    byte[] item = d.rawItem(0);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 6; x++) {
        assertEquals((x * 7 + y * 13 + 5) & 0xff, item[y * 6 + x] & 0xff);
      }
    }
    assertEquals(0, d.numClasses());
    assertEquals(-1, d.label(0));
  }

  @Test
  void halvingAveragesTwoByTwoBlocksAndCentreCropsTheLongerSide() throws IOException {
    // 8 x 4 gray image -> size 2: scale 1/2 gives 4 x 2, the centre crop keeps columns 2..5.
    png(gray(8, 4, 0), dir.resolve("h/0.png"));
    ImageFolderDataset d = ImageFolderDataset.builder().setRoot(dir.resolve("h"))
        .optTestFraction(0).optSize(2).optColor(ColorMode.GRAY).build();
    d.prepare(null);
    byte[] item = d.rawItem(0);
    for (int oy = 0; oy < 2; oy++) {
      for (int ox = 0; ox < 2; ox++) {
        double sum = 0;
        for (int y = 2 * oy; y < 2 * oy + 2; y++) {
          for (int x = 2 + 2 * ox; x < 2 + 2 * ox + 2; x++) {
            sum += (x * 7 + y * 13) & 0xff;
          }
        }
        assertEquals(Math.round(sum / 4), item[oy * 2 + ox] & 0xff);
      }
    }
  }

  @Test
  void rgbToGrayUsesBt601Luma() throws IOException {
    png(rgb(4, 4, 9), dir.resolve("l/0.png"));
    ImageFolderDataset d = ImageFolderDataset.builder().setRoot(dir.resolve("l"))
        .optTestFraction(0).optSize(4).optColor(ColorMode.GRAY).build();
    d.prepare(null);
    int x = 3;
    int y = 1;
    int r = (x + 10 * y + 9) & 0xff;
    int g = (2 * x + 9) & 0xff;
    int b = 255 - y;
    assertEquals(Math.round(0.299f * r + 0.587f * g + 0.114f * b), d.rawItem(0)[y * 4 + x] & 0xff);
  }

  @Test
  void holdOutSplitsAreDisjointAndCoverTheFolder() throws IOException {
    for (int i = 0; i < 20; i++) {
      png(gray(4, 4, i), dir.resolve("f/" + i + ".png"));
    }
    ImageFolderDataset.Builder b = ImageFolderDataset.builder().setRoot(dir.resolve("f"))
        .optTestFraction(0.25).optSize(4).optColor(ColorMode.GRAY).optShuffleSeed(4);
    ImageFolderDataset train = b.build();
    ImageFolderDataset test = ImageFolderDataset.builder().setRoot(dir.resolve("f"))
        .optTestFraction(0.25).optSize(4).optColor(ColorMode.GRAY).optShuffleSeed(4)
        .optSplit(Split.TEST).build();
    train.prepare(null);
    test.prepare(null);
    assertEquals(15, train.size());
    assertEquals(5, test.size());
    Set<Integer> seeds = new HashSet<>();
    for (VqDataset d : List.of(train, test)) {
      for (long i = 0; i < d.size(); i++) {
        seeds.add(d.rawItem(i)[0] & 0xff); // pixel (0, 0) is the seed
      }
    }
    assertEquals(20, seeds.size());
  }

  @Test
  void emptyFolderIsNamed() throws IOException {
    Files.createDirectories(dir.resolve("empty"));
    Files.writeString(dir.resolve("empty/readme.txt"), "no images");
    DatasetError e = assertThrows(DatasetError.class, () -> ImageFolderDataset.builder()
        .setRoot(dir.resolve("empty")).build().prepare(null));
    assertTrue(e.getMessage().startsWith("empty folder " + dir.resolve("empty") + ": no PNG or JPEG files"),
        e.getMessage());
  }

  @Test
  void missingFolderIsNamed() {
    DatasetError e = assertThrows(DatasetError.class, () -> ImageFolderDataset.builder()
        .setRoot(dir.resolve("nope")).build().prepare(null));
    assertTrue(e.getMessage().startsWith("missing directory " + dir.resolve("nope")), e.getMessage());
  }

  @Test
  void unreadableImageIsNamed() throws IOException {
    png(gray(4, 4, 0), dir.resolve("u/a.png"));
    Files.writeString(dir.resolve("u/b.png"), "this is not a png");
    DatasetError e = assertThrows(DatasetError.class, () -> ImageFolderDataset.builder()
        .setRoot(dir.resolve("u")).optTestFraction(0).optSize(4).build().prepare(null));
    assertTrue(e.getMessage().startsWith("unreadable image " + dir.resolve("u/b.png")), e.getMessage());
    assertTrue(e.getMessage().contains("expected a PNG or JPEG file"), e.getMessage());
  }

  @Test
  void jpegIsDecodedCloseToItsSource() throws IOException {
    BufferedImage flat = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        flat.setRGB(x, y, (200 << 16) | (100 << 8) | 50);
      }
    }
    Files.createDirectories(dir.resolve("j"));
    assertTrue(ImageIO.write(flat, "jpeg", dir.resolve("j/a.jpg").toFile()));
    ImageFolderDataset d = ImageFolderDataset.builder().setRoot(dir.resolve("j"))
        .optTestFraction(0).optSize(8).build();
    d.prepare(null);
    byte[] item = d.rawItem(0);
    // JPEG is lossy; a flat colour survives within a few levels.
    assertEquals(200, item[0] & 0xff, 4);
    assertEquals(100, item[64] & 0xff, 4);
    assertEquals(50, item[128] & 0xff, 4);
  }

  @Test
  void sameImagesGiveSameBytesAcrossBuilds() throws IOException {
    png(rgb(10, 6, 3), dir.resolve("s/a.png"));
    ImageFolderDataset a = ImageFolderDataset.builder().setRoot(dir.resolve("s")).optTestFraction(0).optSize(5).build();
    ImageFolderDataset b = ImageFolderDataset.builder().setRoot(dir.resolve("s")).optTestFraction(0).optSize(5).build();
    a.prepare(null);
    b.prepare(null);
    assertArrayEquals(a.rawItem(0), b.rawItem(0));
    assertEquals(new Shape(3, 5, 5), a.itemShape());
  }
}
