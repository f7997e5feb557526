package org.vqlab.experiments.multirun;

import java.util.List;
import org.vqlab.core.config.Section;
import org.vqlab.core.launch.Launcher;
import org.vqlab.core.launch.LauncherFactory;

/** The {@code basic} launcher: local JVMs. */
public final class BasicLauncherFactory implements LauncherFactory {

  /** {@code launcher} section: jobs at once, and the options of each job's JVM. */
  public record Settings(int parallelism, List<String> jvmOptions) {
    public Settings {
      if (parallelism < 1) {
        throw new IllegalArgumentException("launcher.parallelism must be >= 1, got " + parallelism);
      }
    }
  }

  @Override
  public Class<? extends Record> configType() {
    return Settings.class;
  }

  @Override
  public Launcher create(Section launcherSection) {
    Settings s = launcherSection.bind(Settings.class);
    return new BasicLauncher(s.parallelism(), s.jvmOptions());
  }
}
