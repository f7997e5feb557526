package org.vqlab.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.vqlab.core.data.DataLocations;
import org.vqlab.core.data.IdxDataset;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.data.Split;

/** The real Fashion-MNIST files of the Debian package dataset-fashion-mnist, for tests. */
public final class FashionMnistFiles {
  public static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private FashionMnistFiles() {}

  /** Skips the calling test when the package is not installed. */
  public static Path require() {
    Assumptions.assumeTrue(Files.isRegularFile(DIR.resolve("train-images-idx3-ubyte.gz")),
        "Fashion-MNIST not installed: apt-get install dataset-fashion-mnist");
    return DIR;
  }

  /**
   * The first {@code n} training images through the real loader, (n, 1, 28, 28) in [-0.5, 0.5],
   * on the manager's device.
   */
  public static NDArray firstTrainImages(NDManager manager, int n) throws IOException {
    IdxDataset data = IdxDataset.builder(IdxDataset.FASHION_MNIST).optSplit(Split.TRAIN)
        .optLocations(new DataLocations(require(), null, List.of(), Path.of("/nonexistent"))).build();
    data.prepare(null);
    long[] idx = new long[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    LabeledBatch batch = data.batch(manager, idx);
    batch.labels().close();
    return batch.images();
  }
}
