package org.vqlab.experiments.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.vqlab.eval.report.AtomicFiles;

/**
 * A run directory, {@code <output_dir>/<name>/<yyyy-MM-dd_HH-mm-ss>/}. A new run never reuses an
 * existing directory: a second run in the same second gets a {@code _1}, {@code _2}, ... suffix.
 */
public final class RunDirectory {
  public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");
  public static final String CONFIG = "config.conf";
  public static final String OVERRIDES = "overrides.txt";
  public static final String PROVENANCE = "provenance.json";
  public static final String METRICS = "metrics.jsonl";
  public static final String LOG = "log.txt";

  private final Path path;

  private RunDirectory(Path path) {
    this.path = path;
  }

  /** Creates a fresh directory under {@code parent} named by the time. */
  public static RunDirectory createNew(Path parent, LocalDateTime time) throws IOException {
    Files.createDirectories(parent);
    String base = STAMP.format(time);
    for (int i = 0; ; i++) {
      Path candidate = parent.resolve(i == 0 ? base : base + "_" + i);
      try {
        Files.createDirectory(candidate);
        return new RunDirectory(candidate);
      } catch (FileAlreadyExistsException e) {
        // Taken by an earlier run in the same second: try the next suffix.
      }
    }
  }

  /** An existing directory given explicitly (a multirun job's, or a stage rerun on a run). */
  public static RunDirectory at(Path path) throws IOException {
    Files.createDirectories(path);
    return new RunDirectory(path);
  }

  public Path path() {
    return path;
  }

  public Path resolve(String name) {
    return path.resolve(name);
  }

  /**
   * Renames an existing file to {@code name.<yyyy-MM-dd_HH-mm-ss>.<ext>} so that a later launch in
   * this directory never overwrites what an earlier one wrote.
   */
  public void keepPrevious(String name) throws IOException {
    Path file = path.resolve(name);
    if (!Files.exists(file)) {
      return;
    }
    int dot = name.lastIndexOf('.');
    String stem = dot < 0 ? name : name.substring(0, dot);
    String ext = dot < 0 ? "" : name.substring(dot);
    String stamp = STAMP.format(LocalDateTime.ofInstant(Files.getLastModifiedTime(file).toInstant(),
        java.time.ZoneId.systemDefault()));
    for (int i = 0; ; i++) {
      Path target = path.resolve(stem + "." + stamp + (i == 0 ? "" : "_" + i) + ext);
      if (!Files.exists(target)) {
        Files.move(file, target);
        return;
      }
    }
  }

  /** Writes a file atomically: a temporary file next to it, then a rename. */
  public static void writeAtomically(Path target, byte[] bytes) throws IOException {
    AtomicFiles.write(target, bytes);
  }

  public static void writeAtomically(Path target, String text) throws IOException {
    writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
  }
}
