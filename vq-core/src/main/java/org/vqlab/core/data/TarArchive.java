package org.vqlab.core.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Just enough of the tar format (POSIX ustar and old GNU) to extract named regular files: 512-byte
 * headers with the name at 0, the size in octal at 124 and the type at 156, data padded to 512.
 */
final class TarArchive {
  private static final int BLOCK = 512;

  private TarArchive() {}

  /**
   * Extracts the regular files whose base name is in {@code names} into {@code dir} (flattened) and
   * returns the paths written. {@code archive} names the source in errors.
   */
  static List<Path> extract(InputStream in, Set<String> names, Path dir, String archive)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    byte[] header = new byte[BLOCK];
    byte[] buf = new byte[1 << 16];
    while (true) {
      if (!readBlock(in, header)) {
        break;
      }
      if (isZero(header)) {
        break;
      }
      String name = field(header, 0, 100);
      if (new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
      }
      long size = octal(header, 124, 12, archive);
      byte type = header[156];
      String base = name.substring(name.lastIndexOf('/') + 1);
      boolean regular = type == '0' || type == 0;
      long remaining = size;
      if (regular && names.contains(base)) {
        Path target = dir.resolve(base);
        try (OutputStream out = Files.newOutputStream(target)) {
          while (remaining > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
            if (n < 0) {
              throw new DatasetError(archive + " is truncated inside " + name + ": "
                  + remaining + " of " + size + " bytes missing");
            }
            out.write(buf, 0, n);
            remaining -= n;
          }
        }
        written.add(target);
      } else {
        skipFully(in, remaining, archive, name);
      }
      long pad = (BLOCK - size % BLOCK) % BLOCK;
      skipFully(in, pad, archive, name);
    }
    return written;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int off = 0;
    while (off < block.length) {
      int n = in.read(block, off, block.length - off);
      if (n < 0) {
        return false;
      }
      off += n;
    }
    return true;
  }

  private static void skipFully(InputStream in, long n, String archive, String entry)
      throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new DatasetError(archive + " is truncated inside " + entry);
      }
      n -= r;
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] h, int off, int len, String archive) throws IOException {
    String s = field(h, off, len).trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new EOFException(archive + " is not a tar archive: bad size field '" + s + "'");
    }
  }
}
