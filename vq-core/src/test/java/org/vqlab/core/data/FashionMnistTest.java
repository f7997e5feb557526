package org.vqlab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.testing.FashionMnistFiles;

/** The real Fashion-MNIST from the Debian package, through the fashion_mnist plugin. */
class FashionMnistTest {
  private static VqDataset train;
  private static VqDataset test;

  @BeforeAll
  static void load() throws IOException {
    Path dir = FashionMnistFiles.require();
    Section section = new Section("dataset", org.vqlab.core.testing.ConfigDirs.resource("dataset/fashion_mnist.conf")
        .withValue("root", ConfigFactory.parseString("r = \"" + dir + "\"").getValue("r")));
    PluginRegistry registry = PluginRegistry.load();
    train = VqDatasets.create(registry, section, Split.TRAIN);
    test = VqDatasets.create(registry, section, Split.TEST);
    train.prepare(null);
    test.prepare(null);
  }

  @Test
  void allSevenDatasetPluginsAreRegistered() {
    assertEquals(List.of("cifar10", "fashion_mnist", "image_folder", "mnist", "moving_fashion_mnist",
            "moving_mnist", "video_folder"),
        List.copyOf(PluginRegistry.load().all(PluginKind.DATASET).keySet()));
  }

  @Test
  void sizesShapesAndClassBalance() {
    assertEquals(60000, train.size());
    assertEquals(10000, test.size());
    assertEquals(new Shape(1, 28, 28), train.itemShape());
    assertEquals(10, train.numClasses());
    int[] trainCounts = new int[10];
    int[] testCounts = new int[10];
    for (long i = 0; i < train.size(); i++) {
      trainCounts[train.label(i)]++;
    }
    for (long i = 0; i < test.size(); i++) {
      testCounts[test.label(i)]++;
    }
    for (int c = 0; c < 10; c++) {
      assertEquals(6000, trainCounts[c], "train class " + c);
      assertEquals(1000, testCounts[c], "test class " + c);
    }
  }

  @Test
  void firstTrainingImageMatchesTheRawBytes() throws IOException {
    // Independent read: gunzip, skip the 16-byte header, sum the first 784 bytes.
    long expected = 0;
    int firstLabel;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(
        FashionMnistFiles.DIR.resolve("train-images-idx3-ubyte.gz")))) {
      byte[] head = in.readNBytes(16 + 784);
      for (int i = 16; i < head.length; i++) {
        expected += head[i] & 0xff;
      }
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(
        FashionMnistFiles.DIR.resolve("train-labels-idx1-ubyte.gz")))) {
      firstLabel = in.readNBytes(9)[8];
    }
    long sum = 0;
    for (byte b : train.rawItem(0)) {
      sum += b & 0xff;
    }
    assertEquals(expected, sum);
    assertEquals(firstLabel, train.label(0));
    // The well-known first training item of Fashion-MNIST is an ankle boot (class 9).
    assertEquals(9, train.label(0));
  }

  @Test
  void batchIsNormalisedFloatWithInt64LabelsAndBytesRecoverExactly() {
    long[] indices = {0, 59999, 123, 7};
    try (NDManager manager = NDManager.newBaseManager()) {
      LabeledBatch batch = train.batch(manager, indices);
      assertEquals(new Shape(4, 1, 28, 28), batch.images().getShape());
      assertEquals(DataType.FLOAT32, batch.images().getDataType());
      assertEquals(DataType.INT64, batch.labels().getDataType());
      assertEquals(manager.getDevice(), batch.images().getDevice());
      float[] values = batch.images().toFloatArray();
      long[] labels = batch.labels().toLongArray();
      PixelNormalization norm = train.normalization();
      for (int b = 0; b < indices.length; b++) {
        byte[] raw = train.rawItem(indices[b]);
        assertEquals(train.label(indices[b]), labels[b]);
        for (int i = 0; i < raw.length; i++) {
          float v = values[b * 784 + i];
          assertTrue(v >= -0.5f && v <= 0.5f);
          assertEquals(raw[i] & 0xff, norm.toByte(v));
          assertEquals(norm.toFloat(raw[i] & 0xff), v, 1e-6);
        }
      }
    }
  }

  @Test
  void testSplitHasNoFlipsAndSubsetIsSeeded() throws IOException {
    IdxDataset a = IdxDataset.builder(IdxDataset.FASHION_MNIST).optSplit(Split.TEST)
        .optLocations(new DataLocations(FashionMnistFiles.DIR, null, List.of(), Path.of("/nonexistent")))
        .optSubset(100).optShuffleSeed(3).build();
    IdxDataset b = IdxDataset.builder(IdxDataset.FASHION_MNIST).optSplit(Split.TEST)
        .optLocations(new DataLocations(FashionMnistFiles.DIR, null, List.of(), Path.of("/nonexistent")))
        .optSubset(100).optShuffleSeed(3).build();
    a.prepare(null);
    b.prepare(null);
    assertEquals(100, a.size());
    long[] chosen = ByteItemDataset.chooseSubset(10000, 100, 3);
    for (int i = 0; i < 100; i++) {
      assertArrayEquals(a.rawItem(i), b.rawItem(i));
      // The subset keeps the source order and its items are the full split's items.
      assertArrayEquals(test.rawItem(chosen[i]), a.rawItem(i));
      assertEquals(test.label(chosen[i]), a.label(i));
      assertTrue(i == 0 || chosen[i] > chosen[i - 1]);
    }
    assertTrue(!a.flips() && !a.isFlipped(0));
  }
}
