package org.vqlab.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of (Fashion-)MNIST: a big-endian magic number {@code 0x0000 08 <ndim>}
 * (unsigned bytes), the dimension sizes as int32, then the bytes. Gzipped files are recognised by
 * their content, not their name.
 */
public final class IdxReader {
  private IdxReader() {}

  /** The decoded array: its dimension sizes and its bytes in row-major order. */
  public record IdxArray(Path file, int[] dims, byte[] data) {
    public int count() {
      return dims[0];
    }
  }

  /** Reads images ({@code ndim} 3: count, rows, columns) or labels ({@code ndim} 1). */
  public static IdxArray read(Path file, int expectedDims) throws IOException {
    byte[] bytes = readAll(file);
    if (bytes.length < 4) {
      throw new DatasetError(file + " is truncated: " + bytes.length
          + " bytes, expected at least a 4-byte IDX header");
    }
    int magic = readInt(bytes, 0);
    int expectedMagic = 0x00000800 | expectedDims;
    if (magic != expectedMagic) {
      throw new DatasetError(file + " is not an IDX " + (expectedDims == 3 ? "image" : "label")
          + " file: magic number 0x" + String.format("%08x", magic) + ", expected 0x"
          + String.format("%08x", expectedMagic) + " (unsigned bytes, " + expectedDims
          + " dimension" + (expectedDims == 1 ? "" : "s") + ")");
    }
    int header = 4 + 4 * expectedDims;
    if (bytes.length < header) {
      throw new DatasetError(file + " is truncated: " + bytes.length + " bytes, expected a "
          + header + "-byte IDX header");
    }
    int[] dims = new int[expectedDims];
    long total = 1;
    for (int i = 0; i < expectedDims; i++) {
      dims[i] = readInt(bytes, 4 + 4 * i);
      if (dims[i] < 0) {
        throw new DatasetError(file + " has a negative dimension " + dims[i] + " in its IDX header");
      }
      total *= dims[i];
    }
    long expected = header + total;
    if (bytes.length != expected) {
      throw new DatasetError(file + (bytes.length < expected ? " is truncated" : " is too long")
          + ": " + bytes.length + " bytes (decompressed), expected " + expected + " for "
          + describe(dims));
    }
    byte[] data = new byte[(int) total];
    System.arraycopy(bytes, header, data, 0, data.length);
    return new IdxArray(file, dims, data);
  }

  private static String describe(int[] dims) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      sb.append(i == 0 ? "" : " x ").append(dims[i]);
    }
    return sb + " bytes plus the header";
  }

  static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private static byte[] readAll(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new DatasetError("missing file " + file + ": expected an IDX file");
    }
    try {
      if (isGzip(file)) {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), 1 << 16)) {
          return in.readAllBytes();
        }
      }
      return Files.readAllBytes(file);
    } catch (EOFException | ZipException e) {
      throw new DatasetError(file + " is truncated or corrupt: the gzip stream ends early ("
          + e.getMessage() + "), expected a complete gzipped IDX file", e);
    } catch (NoSuchFileException e) {
      throw new DatasetError("missing file " + file + ": expected an IDX file", e);
    }
  }

  private static int readInt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }
}
