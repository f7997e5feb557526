package org.vqlab.core.codes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeStoreTest {
  @TempDir Path dir;

  private static final List<CodeLevel> LEVELS = List.of(new CodeLevel("top", 512, 2, 3),
      new CodeLevel("bottom", 70_000, 4, 6));

  /** Item i's code at position j of level l: a pure function, so any read can be checked. */
  private static long code(long item, int level, int j) {
    long k = LEVELS.get(level).numCodes();
    return (item * 7919 + j * 104_729L + level * 13) % k;
  }

  private Path write(int items, int frames, int classes) throws IOException {
    Path file = dir.resolve("train.vqc");
    CodeStoreHeader h = new CodeStoreHeader("train", items, frames, classes, LEVELS,
        Map.of("checkpoint", "best.ckpt"));
    try (CodeStoreWriter w = CodeStoreWriter.create(file, h)) {
      for (int i = 0; i < items; i++) {
        long[][] codes = new long[2][];
        for (int l = 0; l < 2; l++) {
          codes[l] = new long[(int) LEVELS.get(l).codesPerItem(frames)];
          for (int j = 0; j < codes[l].length; j++) {
            codes[l][j] = code(i, l, j);
          }
        }
        w.append(classes > 0 ? i % classes : -1, codes);
      }
      w.commit();
    }
    return file;
  }

  @Test
  void residualStagesRoundTripAndSingleCodeHeadersDoNotMentionThem() throws IOException {
    List<CodeLevel> stages = List.of(new CodeLevel("bottom_stage1", 16, 2, 2),
        new CodeLevel("bottom_stage2", 16, 2, 2, 1), new CodeLevel("bottom_stage3", 16, 2, 2, 2));
    Path file = dir.resolve("stages.vqc");
    try (CodeStoreWriter w = CodeStoreWriter.create(file,
        new CodeStoreHeader("train", 1, 1, 0, stages, Map.of()))) {
      w.append(-1, new long[][] {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}});
      w.commit();
    }
    try (CodeStore store = CodeStore.open(file)) {
      assertEquals(stages, store.header().levels());
      assertEquals(List.of(0, 1, 2), CodeLevel.stages(store.header().levels()));
    }
    String json = new String(CodeStoreFormat.headerJson(new CodeStoreHeader("train", 0, 1, 0,
        LEVELS, Map.of())), java.nio.charset.StandardCharsets.UTF_8);
    assertFalse(json.contains("stage"), json);
  }

  @Test
  void roundTripsEveryCodeAndLabelWithTheDocumentedSize() throws IOException {
    Path file = write(37, 3, 10);
    try (CodeStore store = CodeStore.open(file); NDManager m = NDManager.newBaseManager()) {
      store.verify();
      CodeStoreHeader h = store.header();
      assertEquals(37, store.size());
      assertEquals("best.ckpt", h.provenance().get("checkpoint"));
      // Record: 4-byte label + 3 frames x 2 x 3 uint16 + 3 x 4 x 6 int32 (K > 65536).
      assertEquals(4 + 18 * 2 + 72 * 4, h.recordBytes());
      long json = Files.size(file) - 16 - 37 * h.recordBytes() - 12;
      ByteBuffer pre = ByteBuffer.wrap(Files.readAllBytes(file), 12, 4).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(json, pre.getInt());
      CodeBatch b = store.batch(m, new long[] {36, 0, 5});
      assertEquals(new Shape(3, 3, 2, 3), b.level(0).getShape());
      assertEquals(new Shape(3, 3, 4, 6), b.level(1).getShape());
      assertArrayEquals(new long[] {6, 0, 5}, b.labels().toLongArray());
      long[] bottom = b.level(1).toLongArray();
      for (int j = 0; j < 72; j++) {
        assertEquals(code(36, 1, j), bottom[j]);
        assertEquals(code(5, 1, j), bottom[144 + j]);
      }
      assertEquals(code(0, 0, 17), store.item(0).levels()[0][17]);
      long[] hist = store.histogram(0);
      assertEquals(37 * 18, java.util.Arrays.stream(hist).sum());
    }
  }

  @Test
  void imagesHaveThreeDimensionalGridsAndNoLabelsWithoutClasses() throws IOException {
    try (CodeStore store = CodeStore.open(write(4, 1, 0)); NDManager m = NDManager.newBaseManager()) {
      CodeBatch b = store.batch(m, new long[] {1, 2});
      assertEquals(new Shape(2, 2, 3), b.level(0).getShape());
      assertNull(b.labels());
      assertEquals(-1, store.item(3).label());
    }
  }

  @Test
  void truncatedOrCorruptFilesAreRejectedNamingTheFile() throws IOException {
    Path file = write(5, 1, 10);
    byte[] all = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.vqc");
    Files.write(cut, java.util.Arrays.copyOf(all, all.length - 20));
    IOException e = assertThrows(IOException.class, () -> CodeStore.open(cut));
    assertTrue(e.getMessage().contains("cut.vqc") && e.getMessage().contains("truncated"), e.getMessage());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(all.length - 40);
      raf.write(all[all.length - 40] ^ 1);
    }
    try (CodeStore store = CodeStore.open(file)) {
      IOException crc = assertThrows(IOException.class, store::verify);
      assertTrue(crc.getMessage().contains("CRC-32"), crc.getMessage());
    }
  }

  @Test
  void anUncommittedWriterLeavesNoFileAndCodesOutOfRangeAreRejected() throws IOException {
    Path file = dir.resolve("test.vqc");
    CodeStoreHeader h = new CodeStoreHeader("test", 2, 1, 0, LEVELS, Map.of());
    try (CodeStoreWriter w = CodeStoreWriter.create(file, h)) {
      long[][] bad = {new long[6], new long[24]};
      bad[0][3] = 512;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.append(-1, bad));
      assertTrue(e.getMessage().contains("code 512 outside [0, 512)"), e.getMessage());
      assertThrows(IllegalStateException.class, w::commit);
    }
    assertFalse(Files.exists(file));
    assertFalse(Files.exists(dir.resolve("test.vqc.part")));
  }
}
