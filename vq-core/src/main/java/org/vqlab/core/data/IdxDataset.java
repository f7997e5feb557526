package org.vqlab.core.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MNIST and Fashion-MNIST in the IDX format, gzipped or not: 28 x 28 grayscale images (1, 28, 28)
 * with labels 0..9. Located in {@link DataLocations} order and downloaded (SHA-256 verified) into
 * the download directory when no directory holds them.
 */
public final class IdxDataset extends ByteItemDataset {

  /** One published IDX dataset: the official mirror and the four files with their digests. */
  public record Catalog(String name, String title, String mirror, List<Path> systemDirs,
      String installHint, RemoteFile trainImages, RemoteFile trainLabels, RemoteFile testImages,
      RemoteFile testLabels) {

    List<RemoteFile> files() {
      return List.of(trainImages, trainLabels, testImages, testLabels);
    }

    RemoteFile images(Split split) {
      return split == Split.TRAIN ? trainImages : testImages;
    }

    RemoteFile labels(Split split) {
      return split == Split.TRAIN ? trainLabels : testLabels;
    }
  }

  /**
   * Fashion-MNIST. The digests are those of the Debian package dataset-fashion-mnist, computed with
   * sha256sum: its .gz files are re-compressed (their MD5s differ from the published ones), so we
   * accept either the .gz digest or the digest of the decompressed IDX content, which a download
   * of the official files has too if their content is the same (not verifiable offline).
   */
  public static final Catalog FASHION_MNIST = new Catalog("fashion_mnist", "Fashion-MNIST",
      "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
      List.of(Path.of("/usr/share/datasets/fashion-mnist")),
      "apt-get install dataset-fashion-mnist",
      new RemoteFile("train-images-idx3-ubyte.gz",
          "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
          "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
      new RemoteFile("train-labels-idx1-ubyte.gz",
          "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
          "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
      new RemoteFile("t10k-images-idx3-ubyte.gz",
          "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
          "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
      new RemoteFile("t10k-labels-idx1-ubyte.gz",
          "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
          "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));

  /**
   * MNIST. These are the widely published SHA-256 digests of the official .gz files; they agree
   * across several independent public projects but could not be checked against the files here
   * (no MNIST copy and no internet on the build machine).
   */
  public static final Catalog MNIST = new Catalog("mnist", "MNIST",
      "https://yann.lecun.com/exdb/mnist/", List.of(), null,
      new RemoteFile("train-images-idx3-ubyte.gz",
          "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
      new RemoteFile("train-labels-idx1-ubyte.gz",
          "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
      new RemoteFile("t10k-images-idx3-ubyte.gz",
          "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
      new RemoteFile("t10k-labels-idx1-ubyte.gz",
          "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"));

  public static final int NUM_CLASSES = 10;

  private final Catalog catalog;
  private final DataLocations locations;
  private final String mirror;
  private Path imagesFile;
  private Path labelsFile;

  private IdxDataset(Builder builder) {
    super(builder);
    this.catalog = builder.catalog;
    this.mirror = builder.mirror == null ? catalog.mirror() : builder.mirror;
    this.locations = builder.locations != null ? builder.locations
        : DataLocations.standard(catalog.name(), null, null, catalog.systemDirs());
  }

  public static Builder builder(Catalog catalog) {
    return new Builder(catalog);
  }

  public Catalog catalog() {
    return catalog;
  }

  /** The image file that was read (after prepare). */
  public Path imagesFile() {
    return imagesFile;
  }

  @Override
  protected ItemSource load(Progress progress) throws IOException {
    Map<RemoteFile, Path> files = locate(catalog, split(), locations, mirror, progress);
    imagesFile = files.get(catalog.images(split()));
    labelsFile = files.get(catalog.labels(split()));
    IdxReader.IdxArray images = IdxReader.read(imagesFile, 3);
    IdxReader.IdxArray labels = IdxReader.read(labelsFile, 1);
    if (images.count() != labels.count()) {
      throw new DatasetError("image and label counts differ: " + imagesFile + " has "
          + images.count() + " images but " + labelsFile + " has " + labels.count()
          + " labels; expected one label per image (are the files from the same split?)");
    }
    int[] labelValues = new int[labels.count()];
    for (int i = 0; i < labelValues.length; i++) {
      labelValues[i] = labels.data()[i] & 0xff;
      if (labelValues[i] >= NUM_CLASSES) {
        throw new DatasetError(labelsFile + " has label " + labelValues[i] + " at index " + i
            + ", expected 0.." + (NUM_CLASSES - 1));
      }
    }
    Shape shape = new Shape(1, images.dims()[1], images.dims()[2]);
    return new InMemoryItems(images.data(), labelValues, shape, NUM_CLASSES, images.count());
  }

  /**
   * The files of {@code split}: from the first directory of the search order that has them (as .gz
   * or decompressed), else downloaded into the download directory.
   */
  static Map<RemoteFile, Path> locate(Catalog catalog, Split split, DataLocations locations,
      String mirror, Progress progress) throws IOException {
    List<RemoteFile> wanted = List.of(catalog.images(split), catalog.labels(split));
    for (Path dir : locations.searchOrder()) {
      Map<RemoteFile, Path> found = new LinkedHashMap<>();
      List<String> missing = new ArrayList<>();
      for (RemoteFile f : wanted) {
        Path p = find(dir, f.name());
        if (p != null) {
          found.put(f, p);
        } else {
          missing.add(f.name());
        }
      }
      if (missing.isEmpty()) {
        return found;
      }
      if (!found.isEmpty()) {
        throw new DatasetError("missing file " + dir.resolve(missing.get(0)) + ": " + dir
            + " holds " + found.values().iterator().next().getFileName() + " but not "
            + String.join(", ", missing) + " (expected the " + catalog.title()
            + " IDX files, gzipped or not, side by side)");
      }
    }
    Path dir = locations.downloadTarget();
    Map<RemoteFile, Path> got = new LinkedHashMap<>();
    for (RemoteFile f : wanted) {
      try {
        got.put(f, Downloader.fetch(mirror, f, dir, progress));
      } catch (IOException e) {
        throw notFound(catalog, locations, Downloader.url(mirror, f).toString(), e);
      }
    }
    return got;
  }

  private static DatasetError notFound(Catalog catalog, DataLocations locations, String url,
      Exception cause) {
    StringBuilder names = new StringBuilder();
    for (RemoteFile f : catalog.files()) {
      names.append(names.length() == 0 ? "" : ", ").append(f.name());
    }
    StringBuilder msg = new StringBuilder(catalog.title() + " not found and the download of " + url
        + " failed (" + cause.getMessage() + "). " + locations.lookedIn()
        + ". To place the files by hand: ");
    if (catalog.installHint() != null) {
      msg.append(catalog.installHint()).append(", or ");
    }
    msg.append("copy the four files (").append(names).append(", gzipped or not) into one of those "
        + "paths (or set dataset.root or $" + DataLocations.ENV + "), or set dataset.mirror to a "
        + "reachable copy.");
    return new DatasetError(msg.toString(), cause);
  }

  private static Path find(Path dir, String gzName) {
    Path gz = dir.resolve(gzName);
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path raw = dir.resolve(gzName.substring(0, gzName.length() - ".gz".length()));
    return Files.isRegularFile(raw) ? raw : null;
  }

  public static final class Builder extends ByteItemDataset.Builder<Builder> {
    private final Catalog catalog;
    private String mirror;
    private DataLocations locations;

    private Builder(Catalog catalog) {
      super(catalog.name());
      this.catalog = catalog;
    }

    /** Base URL to download from; default the official one. */
    public Builder optMirror(String mirror) {
      this.mirror = mirror;
      return this;
    }

    public Builder optLocations(DataLocations locations) {
      this.locations = locations;
      return this;
    }

    @Override
    protected Builder self() {
      return this;
    }

    public IdxDataset build() {
      return new IdxDataset(this);
    }
  }
}
