package org.vqlab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 binary files written by the test, byte for byte in the official layout. */
class Cifar10Test {
  @TempDir
  Path dir;

  private Cifar10Dataset.Builder builder(Path root) {
    return Cifar10Dataset.builder()
        .optLocations(new DataLocations(root, null, List.of(), dir.resolve("no-downloads")))
        .optMirror("http://127.0.0.1:9/");
  }

  @Test
  void readsTrainAndTestBatchesInOrder() throws IOException {
    CifarFiles.writeDir(dir.resolve("cifar-10-batches-bin"), 4, 3);
    Cifar10Dataset train = builder(dir).build();
    Cifar10Dataset test = builder(dir).optSplit(Split.TEST).build();
    train.prepare(null);
    test.prepare(null);
    assertEquals(20, train.size());
    assertEquals(3, test.size());
    assertEquals(new Shape(3, 32, 32), train.itemShape());
    assertEquals(10, train.numClasses());
    for (int f = 0; f < 5; f++) {
      for (int r = 0; r < 4; r++) {
        assertArrayEquals(CifarFiles.pixels(f, r), train.rawItem(f * 4L + r));
        assertEquals(CifarFiles.label(f, r), train.label(f * 4L + r));
      }
    }
    assertArrayEquals(CifarFiles.pixels(5, 2), test.rawItem(2));
    // Red channel, row 1, column 2 of record 2 of test_batch.bin, normalised to [-0.5, 0.5].
    try (NDManager m = NDManager.newBaseManager()) {
      LabeledBatch b = test.batch(m, new long[] {2});
      int v = (5 * 31 + 2 * 17 + 0 * 85 + 1 * 3 + 2 * 5) & 0xff;
      assertEquals(-0.5 + v / 255.0, b.images().getFloat(0, 0, 1, 2), 1e-6);
      assertEquals(CifarFiles.label(5, 2), b.labels().getLong(0));
    }
  }

  @Test
  void flipReversesEveryRowOfEveryChannelForFlippedTrainingItems() throws IOException {
    CifarFiles.writeDir(dir, 4, 3);
    Cifar10Dataset train = builder(dir).optFlip(true).optShuffleSeed(11).build();
    train.prepare(null);
    long[] all = new long[20];
    Arrays.setAll(all, i -> i);
    int flipped = 0;
    try (NDManager m = NDManager.newBaseManager()) {
      float[] x = train.batch(m, all).images().toFloatArray();
      for (int i = 0; i < 20; i++) {
        byte[] raw = train.rawItem(i);
        boolean f = train.isFlipped(i);
        flipped += f ? 1 : 0;
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < 32; y++) {
            for (int col = 0; col < 32; col++) {
              int src = c * 1024 + y * 32 + (f ? 31 - col : col);
              int got = train.normalization().toByte(x[i * 3072 + c * 1024 + y * 32 + col]);
              assertEquals(raw[src] & 0xff, got);
            }
          }
        }
      }
    }
    assertTrue(flipped > 0 && flipped < 20, "about half flipped, got " + flipped);
    boolean[] epoch0 = new boolean[20];
    for (int i = 0; i < 20; i++) {
      epoch0[i] = train.isFlipped(i);
    }
    // Another epoch draws other flips; coming back to epoch 0 (resume) draws the same ones.
    train.setEpoch(1);
    int differ = 0;
    for (int i = 0; i < 20; i++) {
      differ += train.isFlipped(i) != epoch0[i] ? 1 : 0;
    }
    assertTrue(differ > 0);
    train.setEpoch(0);
    for (int i = 0; i < 20; i++) {
      assertEquals(epoch0[i], train.isFlipped(i));
    }
  }

  @Test
  void djlGetDataBatchesRecordsWithTheBuilderSampler() throws Exception {
    CifarFiles.writeDir(dir, 2, 3);
    Cifar10Dataset test = builder(dir).optSplit(Split.TEST).setSampling(2, false).build();
    test.prepare(null);
    try (NDManager m = NDManager.newBaseManager()) {
      int batches = 0;
      for (ai.djl.training.dataset.Batch b : test.getData(m)) {
        assertEquals(new Shape(batches == 0 ? 2 : 1, 3, 32, 32), b.getData().head().getShape());
        long[] labels = b.getLabels().head().toLongArray();
        assertEquals(CifarFiles.label(5, 2 * batches), labels[0]);
        b.close();
        batches++;
      }
      assertEquals(2, batches);
    }
  }

  @Test
  void truncatedBatchIsNamed() throws IOException {
    CifarFiles.writeDir(dir, 2, 2);
    Path f = dir.resolve("data_batch_3.bin");
    Files.write(f, Arrays.copyOf(Files.readAllBytes(f), 3073 + 100));
    DatasetError e = assertThrows(DatasetError.class, () -> builder(dir).build().prepare(null));
    assertTrue(e.getMessage().startsWith(f + " is truncated or not a CIFAR-10 binary batch: 3173 bytes"),
        e.getMessage());
  }

  @Test
  void missingBatchIsNamed() throws IOException {
    CifarFiles.writeDir(dir, 2, 2);
    Files.delete(dir.resolve("data_batch_4.bin"));
    DatasetError e = assertThrows(DatasetError.class, () -> builder(dir).build().prepare(null));
    assertTrue(e.getMessage().startsWith("missing file " + dir.resolve("data_batch_4.bin")), e.getMessage());
  }

  @Test
  void failedDownloadNamesArchiveUrlAndPaths() {
    DatasetError e = assertThrows(DatasetError.class,
        () -> builder(dir.resolve("nothing")).build().prepare(null));
    assertTrue(e.getMessage().contains("download of http://127.0.0.1:9/cifar-10-binary.tar.gz failed"),
        e.getMessage());
    assertTrue(e.getMessage().contains(dir.resolve("nothing").toString()), e.getMessage());
  }
}
