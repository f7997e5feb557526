package org.vqlab.core.data;

import ai.djl.util.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Fetches one published file into a local directory and verifies its SHA-256 before it becomes
 * visible under its final name (a partial or corrupt download never looks like a good copy).
 */
final class Downloader {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL)
      .proxy(java.net.ProxySelector.getDefault()).build();

  private Downloader() {}

  /** The URL of {@code file} under {@code mirror} (a trailing slash is optional). */
  static URI url(String mirror, RemoteFile file) {
    return URI.create(mirror.endsWith("/") ? mirror + file.name() : mirror + "/" + file.name());
  }

  /**
   * What went wrong, in words: the JDK's HTTP client reports an unknown host, a refused connection
   * or a timeout as an exception whose message is often null, with the cause further down.
   */
  static String reason(IOException failure, URI url) {
    String where = url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.net.UnknownHostException
          || t instanceof java.nio.channels.UnresolvedAddressException) {
        return "unknown host " + url.getHost() + " (no DNS entry or no network)";
      }
      if (t instanceof java.net.http.HttpConnectTimeoutException) {
        return "connecting to " + where + " timed out after "
            + CLIENT.connectTimeout().map(Duration::toSeconds).orElse(0L) + " s";
      }
      if (t instanceof java.net.http.HttpTimeoutException
          || t instanceof java.net.SocketTimeoutException) {
        return "no answer from " + where + " in time (" + describe(t) + ")";
      }
      if (t instanceof java.net.ConnectException) {
        // The client says only "ConnectException" for a host that does not resolve, too.
        if (!resolves(url.getHost())) {
          return "unknown host " + url.getHost() + " (no DNS entry or no network)";
        }
        String detail = describe(t);
        return "connection to " + where + " refused or unreachable"
            + (detail == null ? "" : " (" + detail + ")");
      }
    }
    String detail = describe(failure);
    return detail != null ? detail : failure.getClass().getName();
  }

  private static boolean resolves(String host) {
    try {
      java.net.InetAddress.getByName(host);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** The first non-blank message along the cause chain, with its exception's name; null if none. */
  private static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return null;
  }

  /**
   * Downloads {@code file} from {@code mirror} to {@code dir/file.name()}. Throws IOException on a
   * network or HTTP failure, DatasetError when the bytes do not have an expected digest.
   */
  static Path fetch(String mirror, RemoteFile file, Path dir, Progress progress) throws IOException {
    URI url = url(mirror, file);
    Files.createDirectories(dir);
    Path target = dir.resolve(file.name());
    Path part = dir.resolve(file.name() + ".part");
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + url, e);
    } catch (IOException e) {
      throw new IOException(reason(e, url), e);
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + " for " + url);
      }
      long total = response.headers().firstValueAsLong("Content-Length").orElse(0);
      if (progress != null) {
        progress.reset("Downloading " + file.name(), Math.max(total, 1));
      }
      try (OutputStream out = Files.newOutputStream(part)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
          if (progress != null && total > 0) {
            progress.increment(n);
          }
        }
      }
      if (progress != null) {
        progress.end();
      }
    } catch (IOException e) {
      Files.deleteIfExists(part);
      throw e.getMessage() == null ? new IOException(reason(e, url), e) : e;
    }
    String digest = Sha256.of(part);
    boolean ok = file.sha256().contains(digest);
    String content = null;
    if (!ok) {
      content = Sha256.ofGunzipped(part);
      ok = content != null && file.sha256().contains(content);
    }
    if (!ok) {
      Files.deleteIfExists(part);
      throw new DatasetError("checksum mismatch for " + url + ": SHA-256 " + digest
          + (content == null ? "" : " (gunzipped content " + content + ")") + ", expected one of "
          + file.sha256() + "; the download was discarded (is dataset.mirror right?)");
    }
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }
}
