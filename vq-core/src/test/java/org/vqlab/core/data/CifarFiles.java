package org.vqlab.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * CIFAR-10 binary files written by the tests in the official layout: per record one label byte
 * then 1024 red, 1024 green and 1024 blue bytes (rows of 32); and the tar.gz archive around them.
 */
final class CifarFiles {
  static final int TEST_FILE_INDEX = 5;

  private CifarFiles() {}

  static String fileName(int file) {
    return file == TEST_FILE_INDEX ? "test_batch.bin" : "data_batch_" + (file + 1) + ".bin";
  }

  static int label(int file, int record) {
    return (file * 7 + record) % 10;
  }

  /** The 3072 pixel bytes of one record: channel c, row y, column x at c * 1024 + y * 32 + x. */
  static byte[] pixels(int file, int record) {
    byte[] p = new byte[3072];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          p[c * 1024 + y * 32 + x] = (byte) (file * 31 + record * 17 + c * 85 + y * 3 + x * 5);
        }
      }
    }
    return p;
  }

  static byte[] batch(int file, int records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int r = 0; r < records; r++) {
      out.write(label(file, r));
      out.writeBytes(pixels(file, r));
    }
    return out.toByteArray();
  }

  static void writeDir(Path dir, int perTrainFile, int testRecords) throws IOException {
    Files.createDirectories(dir);
    for (int f = 0; f <= TEST_FILE_INDEX; f++) {
      Files.write(dir.resolve(fileName(f)), batch(f, f == TEST_FILE_INDEX ? testRecords : perTrainFile));
    }
  }

  /** cifar-10-binary.tar.gz: a directory entry, batches.meta.txt and the six batches (ustar). */
  static byte[] archive(int perTrainFile, int testRecords) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    entry(tar, "cifar-10-batches-bin/", new byte[0], '5');
    entry(tar, "cifar-10-batches-bin/batches.meta.txt",
        "airplane\nautomobile\n".getBytes(StandardCharsets.US_ASCII), '0');
    for (int f = 0; f <= TEST_FILE_INDEX; f++) {
      entry(tar, "cifar-10-batches-bin/" + fileName(f),
          batch(f, f == TEST_FILE_INDEX ? testRecords : perTrainFile), '0');
    }
    tar.write(new byte[1024], 0, 1024);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(tar.toByteArray());
    }
    return gz.toByteArray();
  }

  private static void entry(ByteArrayOutputStream tar, String name, byte[] data, char type) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", data.length));
    put(h, 136, String.format("%011o", 0));
    h[156] = (byte) type;
    put(h, 257, "ustar");
    put(h, 263, "00");
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    tar.writeBytes(h);
    tar.writeBytes(data);
    int pad = (512 - data.length % 512) % 512;
    tar.write(new byte[pad], 0, pad);
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }
}
