package org.vqlab.core.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.util.Progress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * CIFAR-10, binary version: each record is one label byte then 3072 pixel bytes (1024 red, 1024
 * green, 1024 blue, rows of 32), which is already (C, H, W). Train: data_batch_1..5.bin, test:
 * test_batch.bin, in a directory or its cifar-10-batches-bin sub-directory.
 */
public final class Cifar10Dataset extends ByteItemDataset {
  public static final String NAME = "cifar10";
  public static final String MIRROR = "https://www.cs.toronto.edu/~kriz/";
  public static final String SUB_DIR = "cifar-10-batches-bin";
  /** The published SHA-256 of the official archive (agreeing across public sources; not checked here). */
  public static final RemoteFile ARCHIVE = new RemoteFile("cifar-10-binary.tar.gz",
      "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd");
  public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
      "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
  public static final List<String> TEST_FILES = List.of("test_batch.bin");
  public static final int RECORD_BYTES = 1 + 3 * 32 * 32;
  public static final int NUM_CLASSES = 10;

  private final DataLocations locations;
  private final String mirror;
  private final RemoteFile archive;

  private Cifar10Dataset(Builder b) {
    super(b);
    this.mirror = b.mirror == null ? MIRROR : b.mirror;
    this.archive = b.archive == null ? ARCHIVE : b.archive;
    this.locations = b.locations != null ? b.locations
        : DataLocations.standard(NAME, null, null, List.of());
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected ItemSource load(Progress progress) throws IOException {
    List<String> names = split() == Split.TRAIN ? TRAIN_FILES : TEST_FILES;
    Path dir = locate(names, progress);
    List<byte[]> contents = new ArrayList<>();
    long records = 0;
    for (String name : names) {
      Path file = dir.resolve(name);
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length == 0 || bytes.length % RECORD_BYTES != 0) {
        throw new DatasetError(file + " is truncated or not a CIFAR-10 binary batch: "
            + bytes.length + " bytes, expected a positive multiple of " + RECORD_BYTES
            + " (1 label byte + 3072 pixel bytes per image; 10000 images in the official files)");
      }
      contents.add(bytes);
      records += bytes.length / RECORD_BYTES;
    }
    int itemBytes = RECORD_BYTES - 1;
    byte[] data = new byte[Math.toIntExact(records * itemBytes)];
    int[] labels = new int[(int) records];
    int n = 0;
    for (int f = 0; f < contents.size(); f++) {
      byte[] bytes = contents.get(f);
      for (int r = 0; r < bytes.length / RECORD_BYTES; r++, n++) {
        int label = bytes[r * RECORD_BYTES] & 0xff;
        if (label >= NUM_CLASSES) {
          throw new DatasetError(dir.resolve(names.get(f)) + " has label " + label + " in record "
              + r + ", expected 0..9 (is it CIFAR-100 or not a CIFAR-10 binary batch?)");
        }
        labels[n] = label;
        System.arraycopy(bytes, r * RECORD_BYTES + 1, data, n * itemBytes, itemBytes);
      }
    }
    return new InMemoryItems(data, labels, new Shape(3, 32, 32), NUM_CLASSES, records);
  }

  /** The first directory (or its cifar-10-batches-bin) with all {@code names}, else download. */
  private Path locate(List<String> names, Progress progress) throws IOException {
    for (Path base : locations.searchOrder()) {
      for (Path dir : List.of(base, base.resolve(SUB_DIR))) {
        List<String> present = new ArrayList<>();
        for (String n : names) {
          if (Files.isRegularFile(dir.resolve(n))) {
            present.add(n);
          }
        }
        if (present.size() == names.size()) {
          return dir;
        }
        if (!present.isEmpty()) {
          List<String> missing = new ArrayList<>(names);
          missing.removeAll(present);
          throw new DatasetError("missing file " + dir.resolve(missing.get(0)) + ": " + dir
              + " holds " + present + " but not " + missing
              + " (expected all CIFAR-10 binary batches side by side)");
        }
      }
    }
    Path dir = locations.downloadTarget();
    String url = Downloader.url(mirror, archive).toString();
    Path tgz;
    try {
      tgz = Downloader.fetch(mirror, archive, dir, progress);
    } catch (IOException e) {
      throw new DatasetError("CIFAR-10 not found and the download of " + url + " failed ("
          + e.getMessage() + "). " + locations.lookedIn() + " (and their " + SUB_DIR
          + " sub-directories). To place the files by hand: extract " + archive.name()
          + " (binary version) and copy data_batch_1..5.bin and test_batch.bin into one of those "
          + "paths (or set dataset.root or $" + DataLocations.ENV + "), or set dataset.mirror to a "
          + "reachable copy.", e);
    }
    Path out = dir.resolve(SUB_DIR);
    List<String> all = new ArrayList<>(TRAIN_FILES);
    all.addAll(TEST_FILES);
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)), 1 << 16)) {
      List<Path> written = TarArchive.extract(in, Set.copyOf(all), out, tgz.toString());
      if (written.size() != all.size()) {
        throw new DatasetError(tgz + " holds " + written.size() + " of the " + all.size()
            + " CIFAR-10 batch files " + all + "; expected the binary version of the archive");
      }
    }
    Files.delete(tgz);
    return out;
  }

  public static final class Builder extends ByteItemDataset.Builder<Builder> {
    private String mirror;
    private RemoteFile archive;
    private DataLocations locations;

    private Builder() {
      super(NAME);
    }

    public Builder optMirror(String mirror) {
      this.mirror = mirror;
      return this;
    }

    /** The archive to download and the digests it must have; default the official one. */
    public Builder optArchive(RemoteFile archive) {
      this.archive = archive;
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

    public Cifar10Dataset build() {
      return new Cifar10Dataset(this);
    }
  }
}
