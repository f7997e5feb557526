package org.vqlab.core.data;

import java.nio.file.Path;

/**
 * What the builders of folder datasets share: the root, the test folder or held-out fraction, the
 * square size items are resized and cropped to, and the colour mode.
 */
abstract class FolderBuilder<T extends FolderBuilder<T>> extends ByteItemDataset.Builder<T> {
  Path root;
  Path testRoot;
  double testFraction = 0.1;
  int size = 64;
  ColorMode color = ColorMode.RGB;

  FolderBuilder(String name) {
    super(name);
  }

  public T setRoot(Path root) {
    this.root = root;
    return self();
  }

  public T optTestRoot(Path testRoot) {
    this.testRoot = testRoot;
    return self();
  }

  public T optTestFraction(double testFraction) {
    this.testFraction = testFraction;
    return self();
  }

  public T optSize(int size) {
    this.size = size;
    return self();
  }

  public T optColor(ColorMode color) {
    this.color = color;
    return self();
  }

  /** Fails when no root was set; {@code dataset} names the plugin in the message. */
  void requireRoot(String dataset) {
    if (root == null) {
      throw new IllegalArgumentException(dataset + " needs a root directory");
    }
  }
}
