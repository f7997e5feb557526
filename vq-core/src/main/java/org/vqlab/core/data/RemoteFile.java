package org.vqlab.core.data;

import java.util.List;

/**
 * A file of a dataset as published: its name relative to the mirror URL and the SHA-256 digests
 * that identify a good copy, either of the file itself or of its gunzipped content (repackaged
 * copies, such as Debian's, are re-compressed but hold the same bytes).
 */
public record RemoteFile(String name, List<String> sha256) {
  public RemoteFile {
    sha256 = List.copyOf(sha256);
  }

  public RemoteFile(String name, String... sha256) {
    this(name, List.of(sha256));
  }
}
