package org.vqlab.core.codes;

import java.util.List;
import java.util.Map;

/**
 * What a code store holds: the split, the number of items, frames per item (1 for images), the
 * number of classes (0 without labels), the levels top first, and free-form provenance (the run's
 * config, the checkpoint the codes came from, versions).
 */
public record CodeStoreHeader(String split, long items, int frames, int numClasses,
    List<CodeLevel> levels, Map<String, Object> provenance) {
  public CodeStoreHeader {
    if (items < 0 || frames < 1 || numClasses < 0 || levels == null || levels.isEmpty()) {
      throw new IllegalArgumentException("a code store needs items >= 0, frames >= 1, classes >= 0"
          + " and at least one level, got items=" + items + " frames=" + frames + " classes="
          + numClasses + " levels=" + levels);
    }
    levels = List.copyOf(levels);
    provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
  }

  /** Bytes of one record: the int32 label, then each level's codes. */
  public long recordBytes() {
    long bytes = 4;
    for (CodeLevel l : levels) {
      bytes += l.codesPerItem(frames) * l.bytesPerCode();
    }
    return bytes;
  }

  /** The index of the level called {@code name}. */
  public int levelIndex(String name) {
    for (int i = 0; i < levels.size(); i++) {
      if (levels.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no code level '" + name + "'; the store has "
        + levels.stream().map(CodeLevel::name).toList());
  }
}
