package org.vqlab.core.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Checkpoints of one training stage in a directory: {@code step-00001000.ckpt} files (the last
 * {@code keep_last} are kept) and {@code best.ckpt}.
 *
 * <p>Format (version 1): the magic {@code VQLABCKPT}, a format version, a UTF-8 JSON header
 * (step, seed, best metric, the resolved config, versions), the block's parameters as DJL writes
 * them ({@code Block.saveParameters}, EMA buffers included), the optimiser state, and a CRC-32 of
 * everything before it. A file is written to a temporary name, forced to disk and renamed, so a
 * process killed while writing never leaves a checkpoint that fails to load; the CRC catches any
 * other damage, and loading falls back to the newest intact checkpoint.
 */
public final class Checkpoints {
  public static final String BEST = "best.ckpt";
  private static final byte[] MAGIC = "VQLABCKPT".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final Pattern STEP_FILE = Pattern.compile("step-(\\d+)\\.ckpt");

  private final Path directory;
  private final int keepLast;

  public Checkpoints(Path directory, int keepLast) {
    this.directory = directory;
    this.keepLast = keepLast;
  }

  public Path directory() {
    return directory;
  }

  /** What a checkpoint holds besides parameters and optimiser state. */
  public record Header(long step, String json) {}

  /** Writes {@code step-N.ckpt} (and {@code best.ckpt} when {@code best}) and prunes old ones. */
  public Path save(long step, String headerJson, Block block, AdamOptimizer optimizer, boolean best)
      throws IOException {
    Files.createDirectories(directory);
    removeStaleTemporaries();
    Path target = directory.resolve(String.format("step-%08d.ckpt", step));
    writeAtomically(target, out -> write(out, step, headerJson, block, optimizer));
    if (best) {
      // The copy is forced to disk before the rename, like the step file: otherwise a power loss
      // can keep the rename and lose the data.
      writeAtomically(directory.resolve(BEST), out -> Files.copy(target, out));
    }
    List<Path> steps = stepFiles();
    for (int i = 0; i < steps.size() - keepLast; i++) {
      Files.deleteIfExists(steps.get(i));
    }
    return target;
  }

  /** Temporary files of a writer that was killed; one stage writes one directory at a time. */
  private void removeStaleTemporaries() throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".")
          && p.getFileName().toString().endsWith(".tmp")).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Step checkpoints, oldest first. */
  public List<Path> stepFiles() throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(directory)) {
      return s.filter(p -> STEP_FILE.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparingLong(Checkpoints::stepOf)).toList();
    }
  }

  static long stepOf(Path p) {
    Matcher m = STEP_FILE.matcher(p.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * What loading found: the newest intact checkpoint, if any, and the corrupt files it passed over
   * on the way (newest first), to be named to the user.
   */
  public record Scan(Optional<Path> newest, List<Path> corrupt) {
    public Scan {
      corrupt = List.copyOf(corrupt);
    }
  }

  /**
   * The newest intact checkpoint of all, {@code best.ckpt} included (by the step in its header; a
   * step file wins a tie), with every corrupt file skipped. A corrupt {@code best.ckpt} is always
   * listed, as it is lost whichever file is loaded.
   */
  public Scan scan() throws IOException {
    List<Path> corrupt = new ArrayList<>();
    Path best = directory.resolve(BEST);
    long bestStep = -1;
    if (Files.isRegularFile(best)) {
      if (verify(best)) {
        bestStep = headerStep(best);
      } else {
        corrupt.add(best);
      }
    }
    List<Path> files = stepFiles();
    for (int i = files.size() - 1; i >= 0; i--) {
      Path f = files.get(i);
      if (stepOf(f) < bestStep) {
        break;
      }
      if (verify(f)) {
        return new Scan(Optional.of(f), corrupt);
      }
      corrupt.add(f);
    }
    return new Scan(bestStep >= 0 ? Optional.of(best) : Optional.empty(), corrupt);
  }

  /** The step recorded in an intact checkpoint's header. */
  private static long headerStep(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      in.readFully(new byte[MAGIC.length]);
      in.readInt();
      return in.readLong();
    }
  }

  /** The newest step checkpoint that passes its CRC, if any. */
  public Optional<Path> latestIntact() throws IOException {
    List<Path> files = new ArrayList<>(stepFiles());
    for (int i = files.size() - 1; i >= 0; i--) {
      if (verify(files.get(i))) {
        return Optional.of(files.get(i));
      }
    }
    return Optional.empty();
  }

  /** True when the file has the magic, a known version and a matching CRC. */
  public static boolean verify(Path file) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      long size = Files.size(file);
      if (size < MAGIC.length + 12) {
        return false;
      }
      CRC32 crc = new CRC32();
      CheckedInputStream in = new CheckedInputStream(raw, crc);
      byte[] body = new byte[8192];
      long remaining = size - 8;
      while (remaining > 0) {
        int n = in.read(body, 0, (int) Math.min(body.length, remaining));
        if (n < 0) {
          return false;
        }
        remaining -= n;
      }
      long expected = new DataInputStream(raw).readLong();
      return expected == crc.getValue() && startsWithMagic(file);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean startsWithMagic(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(MAGIC.length);
      return java.util.Arrays.equals(head, MAGIC);
    }
  }

  /** Reads a checkpoint into the block and optimiser; returns its header. */
  public static Header load(Path file, Block block, AdamOptimizer optimizer, NDManager manager)
      throws IOException {
    if (!verify(file)) {
      throw new IOException(file + " is not an intact VQLab checkpoint (bad magic, version or CRC)");
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      in.readFully(new byte[MAGIC.length]);
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException(file + " has checkpoint format " + version + ", this VQLab reads " + VERSION);
      }
      long step = in.readLong();
      byte[] json = new byte[in.readInt()];
      in.readFully(json);
      block.loadParameters(manager, in);
      // Loaded arrays are new tensors: mark the trainable ones for autograd again.
      block.getParameters().forEach(p -> {
        if (p.getValue().requiresGradient()) {
          p.getValue().getArray().setRequiresGradient(true);
        }
      });
      if (optimizer != null) {
        optimizer.load(in);
      }
      return new Header(step, new String(json, StandardCharsets.UTF_8));
    } catch (MalformedModelException e) {
      throw new IOException(file + ": parameters do not fit the model: " + e.getMessage(), e);
    }
  }

  private static void write(OutputStream raw, long step, String headerJson, Block block,
      AdamOptimizer optimizer) throws IOException {
    CRC32 crc = new CRC32();
    DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
    out.write(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(step);
    byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
    out.writeInt(json.length);
    out.write(json);
    block.saveParameters(out);
    if (optimizer != null) {
      optimizer.save(out);
    } else {
      // No optimiser state (an exported model): an empty state, zero updates and no moments.
      out.writeLong(0);
      out.writeInt(0);
    }
    out.flush();
    new DataOutputStream(raw).writeLong(crc.getValue());
  }

  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static void writeAtomically(Path target, Writer writer) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 20)) {
        writer.write(out);
        out.flush();
        ch.force(true);
      }
      move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
