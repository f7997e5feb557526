package org.vqlab.core.codes;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a code store (see {@link CodeStoreFormat}) item by item, streaming: only one batch is in
 * memory. The file appears under its final name only after {@link #commit()} has written the
 * trailer and forced it to disk; closing without a commit deletes the partial file.
 */
public final class CodeStoreWriter implements AutoCloseable {
  private final Path target;
  private final Path part;
  private final CodeStoreHeader header;
  private final FileChannel channel;
  private final CRC32 crc = new CRC32();
  private final ByteBuffer record;
  private long written;
  private boolean committed;

  private CodeStoreWriter(Path target, CodeStoreHeader header) throws IOException {
    this.target = target;
    this.header = header;
    this.part = target.resolveSibling(target.getFileName() + ".part");
    Files.createDirectories(target.toAbsolutePath().getParent());
    this.channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    this.record = ByteBuffer.allocate(Math.toIntExact(header.recordBytes())).order(ByteOrder.LITTLE_ENDIAN);
    byte[] json = CodeStoreFormat.headerJson(header);
    ByteBuffer pre = ByteBuffer.allocate(CodeStoreFormat.PREAMBLE + json.length).order(ByteOrder.LITTLE_ENDIAN);
    pre.put(CodeStoreFormat.MAGIC).putInt(CodeStoreFormat.VERSION).putInt(json.length).put(json).flip();
    writeFully(pre);
  }

  /** Starts {@code target}; the header's item count is what {@link #commit()} checks. */
  public static CodeStoreWriter create(Path target, CodeStoreHeader header) throws IOException {
    return new CodeStoreWriter(target, header);
  }

  public CodeStoreHeader header() {
    return header;
  }

  public long written() {
    return written;
  }

  /**
   * Appends one item: its label (-1 for none) and per level (top first) its frames x h x w codes in
   * raster order.
   */
  public void append(int label, long[][] levelCodes) throws IOException {
    appendAt(label, levelCodes, 0);
  }

  /**
   * Appends a batch: per level (top first) int64 codes of shape (B, h, w) or (B, T, h, w), and
   * labels (B) or null. This copies the batch to the host once.
   */
  public void append(List<NDArray> levels, NDArray labels) throws IOException {
    if (levels.size() != header.levels().size()) {
      throw new IllegalArgumentException("the store has " + header.levels().size()
          + " levels, the batch " + levels.size());
    }
    int batch = Math.toIntExact(levels.get(0).getShape().get(0));
    long[][] all = new long[levels.size()][];
    for (int l = 0; l < levels.size(); l++) {
      long per = header.levels().get(l).codesPerItem(header.frames());
      if (levels.get(l).size() != per * batch) {
        throw new IllegalArgumentException("level " + header.levels().get(l).name() + " has shape "
            + levels.get(l).getShape() + ", expected " + batch + " items of " + per + " codes");
      }
      all[l] = levels.get(l).toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
    }
    long[] labelValues = labels == null ? null
        : labels.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
    for (int b = 0; b < batch; b++) {
      appendAt(labelValues == null ? -1 : Math.toIntExact(labelValues[b]), all, b);
    }
  }

  private void appendAt(int label, long[][] levelCodes, int item) throws IOException {
    if (written >= header.items()) {
      throw new IllegalStateException("the header announced " + header.items() + " items");
    }
    record.clear();
    record.putInt(label);
    for (int l = 0; l < header.levels().size(); l++) {
      CodeLevel level = header.levels().get(l);
      int per = Math.toIntExact(level.codesPerItem(header.frames()));
      long[] codes = levelCodes[l];
      int from = item * per;
      if (codes.length < from + per) {
        throw new IllegalArgumentException("level " + level.name() + ": " + codes.length
            + " codes given, item " + item + " needs " + (from + per));
      }
      for (int i = from; i < from + per; i++) {
        long c = codes[i];
        if (c < 0 || c >= level.numCodes()) {
          throw new IllegalArgumentException("level " + level.name() + ": code " + c
              + " outside [0, " + level.numCodes() + ")");
        }
        if (level.bytesPerCode() == 2) {
          record.putShort((short) c);
        } else {
          record.putInt((int) c);
        }
      }
    }
    record.flip();
    crc.update(record.array(), 0, record.limit());
    writeFully(record);
    written++;
  }

  /** Writes the trailer, forces the file to disk and renames it to its final name. */
  public void commit() throws IOException {
    if (written != header.items()) {
      throw new IllegalStateException("the header announced " + header.items() + " items, "
          + written + " were written");
    }
    ByteBuffer trailer = ByteBuffer.allocate(CodeStoreFormat.TRAILER).order(ByteOrder.LITTLE_ENDIAN);
    trailer.putInt((int) crc.getValue()).put(CodeStoreFormat.END).flip();
    writeFully(trailer);
    channel.force(true);
    channel.close();
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    committed = true;
  }

  private void writeFully(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      channel.close();
      Files.deleteIfExists(part);
    }
  }
}
