package org.vqlab.core.data;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a named dataset is looked for, in order: the configured root, {@code $VQLAB_DATA/<name>},
 * system locations (Debian packages), then the download directory ({@code ~/.vqlab/data/<name>}),
 * which is also where missing files are downloaded to.
 */
public record DataLocations(Path root, Path vqlabData, List<Path> systemDirs, Path downloadDir) {

  public static final String ENV = "VQLAB_DATA";

  public DataLocations {
    systemDirs = List.copyOf(systemDirs);
  }

  /** The usual search order for {@code name}; {@code root} and {@code downloadDir} may be null. */
  public static DataLocations standard(String name, String root, String downloadDir,
      List<Path> systemDirs) {
    return standard(name, root, downloadDir, systemDirs, System.getenv());
  }

  static DataLocations standard(String name, String root, String downloadDir, List<Path> systemDirs,
      Map<String, String> env) {
    String data = env.get(ENV);
    return new DataLocations(
        root == null || root.isBlank() ? null : Paths.get(root),
        data == null || data.isBlank() ? null : Paths.get(data, name),
        systemDirs,
        downloadDir == null || downloadDir.isBlank()
            ? Paths.get(System.getProperty("user.home"), ".vqlab", "data", name)
            : Paths.get(downloadDir));
  }

  /** Every directory to search, in order, the download directory last. */
  public List<Path> searchOrder() {
    List<Path> dirs = new ArrayList<>();
    if (root != null) {
      dirs.add(root);
    }
    if (vqlabData != null) {
      dirs.add(vqlabData);
    }
    dirs.addAll(systemDirs);
    dirs.add(downloadDir);
    return dirs;
  }
}
