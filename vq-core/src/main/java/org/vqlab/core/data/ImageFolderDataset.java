package org.vqlab.core.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.util.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder of PNG or JPEG images, either directly in it (no labels) or in one sub-directory per
 * class (labels are the sorted sub-directory positions). Each image is scaled so its shorter side
 * is {@code size}, centre-cropped to size x size, and decoded to gray or RGB once, at prepare.
 * The test split is a separate folder, or a seeded hold-out fraction of the one folder.
 */
public final class ImageFolderDataset extends ByteItemDataset {
  public static final String NAME = "image_folder";

  private final Path root;
  private final Path testRoot;
  private final double testFraction;
  private final int size;
  private final ColorMode color;
  private List<String> classes = List.of();

  private ImageFolderDataset(Builder b) {
    super(b);
    this.root = b.root;
    this.testRoot = b.testRoot;
    this.testFraction = b.testFraction;
    this.size = b.size;
    this.color = b.color;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Class names (sub-directories) in label order; empty without classes. */
  public List<String> classes() {
    return classes;
  }

  record Entry(Path file, int label) {}

  @Override
  protected ItemSource load(Progress progress) throws IOException {
    List<Path> classDirs = classDirs(root);
    classes = classDirs.stream().map(p -> p.getFileName().toString()).toList();
    List<Entry> entries;
    if (split() == Split.TEST && testRoot != null) {
      entries = list(testRoot, classes);
    } else {
      List<Entry> all = list(root, classes);
      entries = testRoot != null ? all
          : FolderSplit.pick(all, FolderSplit.holdOut(all.size(), testFraction, shuffleSeed(), split()));
      if (entries.isEmpty()) {
        throw new DatasetError("the " + split().name().toLowerCase() + " split of " + root
            + " is empty: " + all.size() + " images with dataset.test_fraction = " + testFraction
            + "; expected at least one image in each split (or set dataset.test_root)");
      }
    }
    int c = color.channels();
    int itemBytes = c * size * size;
    byte[] data = new byte[Math.multiplyExact(entries.size(), itemBytes)];
    int[] labels = classes.isEmpty() ? null : new int[entries.size()];
    if (progress != null) {
      progress.reset("Decoding " + entries.size() + " images", entries.size());
    }
    for (int i = 0; i < entries.size(); i++) {
      byte[] item = ImageDecoder.decode(entries.get(i).file(), size, color);
      System.arraycopy(item, 0, data, i * itemBytes, itemBytes);
      if (labels != null) {
        labels[i] = entries.get(i).label();
      }
      if (progress != null) {
        progress.increment(1);
      }
    }
    if (progress != null) {
      progress.end();
    }
    return new InMemoryItems(data, labels, new Shape(c, size, size), classes.size(), entries.size());
  }

  /** Sub-directories that hold images, sorted; empty when the images are in the folder itself. */
  private static List<Path> classDirs(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path sub : FolderSplit.sortedChildren(dir, true)) {
      if (!FolderSplit.sortedChildren(sub, false).isEmpty()) {
        out.add(sub);
      }
    }
    return out;
  }

  private static List<Entry> list(Path dir, List<String> classes) throws IOException {
    List<Entry> out = new ArrayList<>();
    if (classes.isEmpty()) {
      for (Path f : FolderSplit.sortedChildren(dir, false)) {
        out.add(new Entry(f, -1));
      }
    } else {
      List<Path> subs = classDirs(dir);
      for (Path sub : subs) {
        int label = classes.indexOf(sub.getFileName().toString());
        if (label < 0) {
          throw new DatasetError("class folder " + sub + " has no counterpart in the training "
              + "folder; expected one of the classes " + classes);
        }
        for (Path f : FolderSplit.sortedChildren(sub, false)) {
          out.add(new Entry(f, label));
        }
      }
    }
    if (out.isEmpty()) {
      throw new DatasetError("empty folder " + dir + ": no PNG or JPEG files (expected images "
          + "directly in it or in one sub-directory per class)");
    }
    return out;
  }

  public static final class Builder extends FolderBuilder<Builder> {

    private Builder() {
      super(NAME);
    }

    @Override
    protected Builder self() {
      return this;
    }

    public ImageFolderDataset build() {
      requireRoot("image_folder");
      return new ImageFolderDataset(this);
    }
  }
}
