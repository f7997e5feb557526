package org.vqlab.core.engine;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Versions of everything a result depends on, for provenance and tracking tags. */
public final class Versions {
  private Versions() {}

  public static String vqlab() {
    try (InputStream in = Versions.class.getResourceAsStream("/vqlab.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** VQLab, DJL, PyTorch (when the engine is loaded), Java and OS versions. */
  public static Map<String, String> all(Engine engine) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("vqlab", vqlab());
    v.put("djl", Engine.getDjlVersion());
    v.put("pytorch", engine == null ? "not loaded" : engine.getVersion());
    v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    return v;
  }

  /** The git commit of the source tree at {@code dir}, with "-dirty" when it has changes. */
  public static Optional<String> gitCommit(Path dir) {
    if (dir == null || !Files.isDirectory(dir.resolve(".git"))) {
      return Optional.empty();
    }
    try {
      String head = run(dir, "git", "rev-parse", "HEAD");
      if (head.isEmpty()) {
        return Optional.empty();
      }
      String status = run(dir, "git", "status", "--porcelain", "--untracked-files=no");
      return Optional.of(status.isEmpty() ? head : head + "-dirty");
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return "";
    }
    return new String(out, StandardCharsets.UTF_8).trim();
  }
}
