package org.vqlab.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

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
}
