package org.vqlab.core.codes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.vqlab.core.train.BatchSource;

/**
 * A code store opened for reading (format: {@link CodeStoreFormat}). Items are read with
 * positional reads, so the store never has to fit in memory; batches are built on the manager's
 * device, which makes a store a {@link BatchSource} for training priors.
 */
public final class CodeStore implements BatchSource<CodeBatch>, AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final CodeStoreHeader header;
  private final long dataOffset;
  private final int recordBytes;

  private CodeStore(Path file) throws IOException {
    this.file = file;
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null,
          "no code store here; run `vq encode run=<run dir>` first");
    }
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      ByteBuffer pre = read(0, CodeStoreFormat.PREAMBLE);
      byte[] magic = new byte[8];
      pre.get(magic);
      if (!Arrays.equals(magic, CodeStoreFormat.MAGIC)) {
        throw new IOException(file + " is not a VQLab code store (bad magic)");
      }
      int version = pre.getInt();
      if (version != CodeStoreFormat.VERSION) {
        throw new IOException(file + ": code store format version " + version
            + ", this VQLab reads version " + CodeStoreFormat.VERSION);
      }
      int n = pre.getInt();
      if (n <= 0 || n > 16 << 20) {
        throw new IOException(file + ": corrupt header length " + n);
      }
      byte[] json = new byte[n];
      read(CodeStoreFormat.PREAMBLE, n).get(json);
      this.header = CodeStoreFormat.parseHeader(json, file.toString());
      this.dataOffset = CodeStoreFormat.PREAMBLE + (long) n;
      this.recordBytes = Math.toIntExact(header.recordBytes());
      long expected = dataOffset + header.items() * recordBytes + CodeStoreFormat.TRAILER;
      if (channel.size() != expected) {
        throw new IOException(file + " is " + channel.size() + " bytes, its header says "
            + expected + " (" + header.items() + " items of " + recordBytes
            + " bytes): truncated or corrupt; encode again");
      }
      ByteBuffer trailer = read(expected - CodeStoreFormat.TRAILER, CodeStoreFormat.TRAILER);
      trailer.getInt();
      byte[] end = new byte[8];
      trailer.get(end);
      if (!Arrays.equals(end, CodeStoreFormat.END)) {
        throw new IOException(file + ": missing end marker; the file is incomplete");
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Opens and checks the preamble, header, size and end marker (not the CRC: see {@link #verify}). */
  public static CodeStore open(Path file) throws IOException {
    return new CodeStore(file);
  }

  public Path file() {
    return file;
  }

  public CodeStoreHeader header() {
    return header;
  }

  @Override
  public long size() {
    return header.items();
  }

  /** Reads every record once and checks the CRC-32; throws naming the file when it differs. */
  public void verify() throws IOException {
    CRC32 crc = new CRC32();
    long total = header.items() * recordBytes;
    int chunk = Math.max(recordBytes, (1 << 20) / recordBytes * recordBytes);
    for (long pos = 0; pos < total; pos += chunk) {
      ByteBuffer b = read(dataOffset + pos, (int) Math.min(chunk, total - pos));
      crc.update(b);
    }
    int stored = read(dataOffset + total, 4).getInt();
    if (stored != (int) crc.getValue()) {
      throw new IOException(file + ": CRC-32 mismatch (stored " + Integer.toHexString(stored)
          + ", computed " + Long.toHexString(crc.getValue()) + "); the codes are corrupt, encode again");
    }
  }

  /** One item: its label and per level (top first) its codes in raster order. */
  public record Item(int label, long[][] levels) {}

  public Item item(long index) {
    ByteBuffer b = record(index);
    int label = b.getInt();
    long[][] levels = new long[header.levels().size()][];
    for (int l = 0; l < levels.length; l++) {
      CodeLevel level = header.levels().get(l);
      long[] codes = new long[Math.toIntExact(level.codesPerItem(header.frames()))];
      for (int i = 0; i < codes.length; i++) {
        codes[i] = level.bytesPerCode() == 2 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
      }
      levels[l] = codes;
    }
    return new Item(label, levels);
  }

  /**
   * Per level (top first) int64 codes (B, h, w), or (B, T, h, w) when the store holds clips, and
   * int64 labels (B) when it has classes, on the manager's device.
   */
  @Override
  public CodeBatch batch(NDManager manager, long[] indices) {
    int n = indices.length;
    int levelsCount = header.levels().size();
    long[][] codes = new long[levelsCount][];
    int[] per = new int[levelsCount];
    for (int l = 0; l < levelsCount; l++) {
      per[l] = Math.toIntExact(header.levels().get(l).codesPerItem(header.frames()));
      codes[l] = new long[n * per[l]];
    }
    long[] labels = new long[n];
    for (int i = 0; i < n; i++) {
      ByteBuffer b = record(indices[i]);
      labels[i] = b.getInt();
      for (int l = 0; l < levelsCount; l++) {
        boolean shorts = header.levels().get(l).bytesPerCode() == 2;
        int at = i * per[l];
        for (int j = 0; j < per[l]; j++) {
          codes[l][at + j] = shorts ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        }
      }
    }
    List<NDArray> arrays = new ArrayList<>(levelsCount);
    for (int l = 0; l < levelsCount; l++) {
      CodeLevel level = header.levels().get(l);
      Shape shape = header.frames() == 1 ? new Shape(n, level.height(), level.width())
          : new Shape(n, header.frames(), level.height(), level.width());
      arrays.add(manager.create(codes[l], shape));
    }
    NDArray labelArray = header.numClasses() > 0 ? manager.create(labels) : null;
    return new CodeBatch(arrays, labelArray);
  }

  /** How often each code occurs at {@code level} over the whole store, read as a stream. */
  public long[] histogram(int level) {
    long[] counts = new long[header.levels().get(level).numCodes()];
    for (long i = 0; i < header.items(); i++) {
      for (long c : item(i).levels()[level]) {
        counts[(int) c]++;
      }
    }
    return counts;
  }

  private ByteBuffer record(long index) {
    if (index < 0 || index >= header.items()) {
      throw new IndexOutOfBoundsException("item " + index + " of " + header.items() + " in " + file);
    }
    try {
      return read(dataOffset + index * recordBytes, recordBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": reading item " + index, e);
    }
  }

  private ByteBuffer read(long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (channel.read(b, position + b.position()) < 0) {
        throw new IOException(file + ": unexpected end of file at byte " + (position + b.position()));
      }
    }
    return b.flip();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
