package org.vqlab.core.data;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a named dataset is looked for. A configured root is authoritative: it is the only place
 * searched and the place missing files are downloaded to (data found elsewhere is never used in
 * its stead). Without one, in order: {@code $VQLAB_DATA/<name>}, system locations (Debian
 * packages), then the download directory ({@code ~/.vqlab/data/<name>}), which is also where
 * missing files are downloaded to.
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

  /** Every directory to search, in order: the root alone when one is named, else the download directory last. */
  public List<Path> searchOrder() {
    if (root != null) {
      return List.of(root);
    }
    List<Path> dirs = new ArrayList<>();
    if (vqlabData != null) {
      dirs.add(vqlabData);
    }
    dirs.addAll(systemDirs);
    dirs.add(downloadDir);
    return dirs;
  }

  /** Where missing files are downloaded to: the named root, else the download directory. */
  public Path downloadTarget() {
    return root != null ? root : downloadDir;
  }

  /** "Looked in: [...]" for an error message, saying why only the root was searched when one is named. */
  public String lookedIn() {
    return "Looked in: " + searchOrder() + (root == null ? ""
        : " (dataset.root names " + root + ", so no other location is searched or used)");
  }
}
