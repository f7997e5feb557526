package org.vqlab.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files (the MNIST format) for tests. */
public final class IdxFiles {
  private IdxFiles() {}

  /** The IDX bytes of {@code count} images of rows x cols with the given pixels. */
  public static byte[] images(int magic, int count, int rows, int cols, byte[] pixels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeInt(out, magic);
    writeInt(out, count);
    writeInt(out, rows);
    writeInt(out, cols);
    out.writeBytes(pixels);
    return out.toByteArray();
  }

  public static byte[] labels(int count, byte[] labels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeInt(out, 0x00000801);
    writeInt(out, count);
    out.writeBytes(labels);
    return out.toByteArray();
  }

  public static Path write(Path file, byte[] bytes, boolean gzip) throws IOException {
    Files.createDirectories(file.getParent());
    if (!gzip) {
      return Files.write(file, bytes);
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(bytes);
    }
    return file;
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
