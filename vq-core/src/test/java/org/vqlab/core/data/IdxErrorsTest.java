package org.vqlab.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.testing.IdxFiles;

/** Bad IDX input gives an error that names the file and what was expected. */
class IdxErrorsTest {
  @TempDir
  Path dir;

  private IdxDataset dataset(Split split) {
    return IdxDataset.builder(IdxDataset.MNIST).optSplit(split)
        .optLocations(new DataLocations(dir, null, List.of(), dir.resolve("downloads")))
        .optMirror("http://127.0.0.1:9/").build();
  }

  private void writeGood(int count, boolean gzip) throws IOException {
    byte[] pixels = new byte[count * 4 * 4];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (i % 10);
    }
    String ext = gzip ? ".gz" : "";
    IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte" + ext), IdxFiles.images(0x803, count, 4, 4, pixels), gzip);
    IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte" + ext), IdxFiles.labels(count, labels), gzip);
  }

  @Test
  void readsSmallUncompressedAndGzippedFiles() throws IOException {
    for (boolean gzip : new boolean[] {false, true}) {
      Files.list(dir).filter(Files::isRegularFile).forEach(p -> p.toFile().delete());
      writeGood(5, gzip);
      IdxDataset d = dataset(Split.TEST);
      d.prepare(null);
      assertEquals(5, d.size());
      assertEquals(4, d.itemShape().get(2));
      assertEquals(3, d.label(3));
      assertEquals((byte) (16 * 2 + 1) * 7 & 0xff, d.rawItem(2)[1] & 0xff);
      // prepare is idempotent: a second call neither reads the (now missing) files nor changes data.
      Files.delete(dir.resolve("t10k-images-idx3-ubyte" + (gzip ? ".gz" : "")));
      d.prepare(null);
      assertEquals(5, d.size());
      assertEquals((byte) (16 * 2 + 1) * 7 & 0xff, d.rawItem(2)[1] & 0xff);
    }
  }

  @Test
  void missingLabelFileIsNamed() throws IOException {
    writeGood(5, true);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    DatasetError e = assertThrows(DatasetError.class, () -> dataset(Split.TEST).prepare(null));
    assertTrue(e.getMessage().contains("missing file " + dir.resolve("t10k-labels-idx1-ubyte.gz")),
        e.getMessage());
  }

  @Test
  void wrongMagicNumberIsNamed() throws IOException {
    writeGood(5, false);
    IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte"),
        IdxFiles.images(0x801, 5, 4, 4, new byte[80]), false);
    DatasetError e = assertThrows(DatasetError.class, () -> dataset(Split.TEST).prepare(null));
    assertTrue(e.getMessage().contains(dir.resolve("t10k-images-idx3-ubyte").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("magic number 0x00000801, expected 0x00000803"), e.getMessage());
  }

  @Test
  void truncatedFileIsNamedWithExpectedLength() throws IOException {
    writeGood(5, false);
    byte[] good = IdxFiles.images(0x803, 5, 4, 4, new byte[80]);
    IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte"), Arrays.copyOf(good, good.length - 10), false);
    DatasetError e = assertThrows(DatasetError.class, () -> dataset(Split.TEST).prepare(null));
    assertTrue(e.getMessage().contains(dir.resolve("t10k-images-idx3-ubyte") + " is truncated: 86 bytes"),
        e.getMessage());
    assertTrue(e.getMessage().contains("expected 96"), e.getMessage());
  }

  @Test
  void truncatedGzipStreamIsNamed() throws IOException {
    writeGood(50, true);
    Path images = dir.resolve("t10k-images-idx3-ubyte.gz");
    byte[] gz = Files.readAllBytes(images);
    Files.write(images, Arrays.copyOf(gz, gz.length / 2));
    DatasetError e = assertThrows(DatasetError.class, () -> dataset(Split.TEST).prepare(null));
    assertTrue(e.getMessage().startsWith(images + " is truncated or corrupt"), e.getMessage());
  }

  @Test
  void differentImageAndLabelCountsNameBothFiles() throws IOException {
    writeGood(5, false);
    IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels(4, new byte[4]), false);
    DatasetError e = assertThrows(DatasetError.class, () -> dataset(Split.TEST).prepare(null));
    assertTrue(e.getMessage().contains(dir.resolve("t10k-images-idx3-ubyte") + " has 5 images but "
        + dir.resolve("t10k-labels-idx1-ubyte") + " has 4 labels"), e.getMessage());
  }

  @Test
  void labelOutOfRangeIsNamed() throws IOException {
    writeGood(5, false);
    IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels(5, new byte[] {0, 1, 12, 3, 4}), false);
    DatasetError e = assertThrows(DatasetError.class, () -> dataset(Split.TEST).prepare(null));
    assertTrue(e.getMessage().contains(dir.resolve("t10k-labels-idx1-ubyte") + " has label 12 at index 2"),
        e.getMessage());
  }

  @Test
  void unpreparedDatasetSaysSo() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> dataset(Split.TRAIN).size());
    assertTrue(e.getMessage().contains("'mnist' (train) is not prepared"), e.getMessage());
  }
}
