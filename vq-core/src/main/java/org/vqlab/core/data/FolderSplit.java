package org.vqlab.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Shared by the folder datasets: listing sorted entries, and a seeded train/test hold-out. */
final class FolderSplit {
  private FolderSplit() {}

  static List<Path> sortedChildren(Path dir, boolean directories) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new DatasetError("missing directory " + dir + ": expected a folder of images");
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> directories ? Files.isDirectory(p) : ImageDecoder.isImageFile(p))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted().toList();
    }
  }

  /**
   * The positions (sorted) of {@code n} entries that belong to {@code split} when a fraction
   * {@code testFraction} of them is held out for testing with a seeded draw.
   */
  static int[] holdOut(int n, double testFraction, long seed, Split split) {
    int test = (int) Math.round(n * testFraction);
    int[] perm = BatchSampler.permutation(n, new SplittableRandom(SplitMix64.mix(seed, 0x7e57L)));
    int[] chosen = split == Split.TEST ? Arrays.copyOfRange(perm, 0, test)
        : Arrays.copyOfRange(perm, test, n);
    Arrays.sort(chosen);
    return chosen;
  }

  static <T> List<T> pick(List<T> all, int[] positions) {
    List<T> out = new ArrayList<>(positions.length);
    for (int p : positions) {
      out.add(all.get(p));
    }
    return out;
  }
}
