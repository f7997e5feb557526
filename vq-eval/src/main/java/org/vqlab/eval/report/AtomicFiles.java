package org.vqlab.eval.report;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Report files appear whole or not at all: each is written to a temporary file beside its target
 * and renamed over it, so a reader never sees half a report or figure.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes a file through a temporary path whose name ends with {@code suffix}. */
  @FunctionalInterface
  public interface Writer {
    void write(Path temporary) throws IOException;
  }

  public static void write(Path target, Writer writer, String suffix) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp" + suffix);
    try {
      writer.write(tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, tmp -> Files.write(tmp, bytes), "");
  }
}
