package org.vqlab.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigSearchPath;

/** Writes small config trees for tests: {@code write(dir, "model/a.conf", "x = 1")}. */
public final class ConfigDirs {
  private ConfigDirs() {}

  public static Path write(Path dir, String relative, String content) {
    try {
      Path p = dir.resolve(relative);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A group option or section shipped as a classpath resource, e.g. {@code model/vqvae.conf} for
   * {@code config/model/vqvae.conf}; a missing resource is an error.
   */
  public static com.typesafe.config.Config resource(String relative) {
    return com.typesafe.config.ConfigFactory.parseResources(ConfigSearchPath.CLASSPATH_PREFIX + relative,
        com.typesafe.config.ConfigParseOptions.defaults().setAllowMissing(false));
  }

  /** A composer over {@code dir} and then this thread's classpath. */
  public static ConfigComposer composer(Path dir) {
    return new ConfigComposer(new ConfigSearchPath(List.of(dir),
        Thread.currentThread().getContextClassLoader()));
  }
}
