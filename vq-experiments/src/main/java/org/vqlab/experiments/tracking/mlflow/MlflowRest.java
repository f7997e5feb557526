package org.vqlab.experiments.tracking.mlflow;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The REST calls the MLflow Java client cannot make with timeouts: its Apache HTTP client is built
 * inside the package-private MlflowHttpCaller with no connect or socket timeout, so a hung server
 * would block forever. The hot path (log-batch) and artifact uploads go through here instead.
 */
final class MlflowRest {
  private final URI base;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Duration artifactTimeout;
  private final Optional<String> authorization;

  MlflowRest(MlflowTrackingConfig config, MlflowCredentials credentials) {
    String uri = config.uri().endsWith("/") ? config.uri().substring(0, config.uri().length() - 1)
        : config.uri();
    this.base = URI.create(uri);
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(seconds(config.connectTimeoutSeconds()))
        .build();
    this.requestTimeout = seconds(config.requestTimeoutSeconds());
    this.artifactTimeout = seconds(config.artifactTimeoutSeconds());
    this.authorization = credentials.authorization();
  }

  static Duration seconds(double s) {
    return Duration.ofMillis(Math.max(1, Math.round(s * 1000)));
  }

  /** An HTTP error answer; {@link #retriable()} for overload and server errors. */
  static final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String what, String body) {
      super(what + " answered HTTP " + status + ": " + abbreviate(body));
      this.status = status;
    }

    boolean retriable() {
      return status == 408 || status == 429 || status >= 500;
    }

    private static String abbreviate(String body) {
      String b = body == null ? "" : body.replaceAll("\\s+", " ").strip();
      return b.length() > 300 ? b.substring(0, 300) + "..." : b;
    }
  }

  /** POST {uri}/api/2.0/mlflow/{endpoint} with a JSON body; returns the JSON answer. */
  String post(String endpoint, String json) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(resolve("/api/2.0/mlflow/" + endpoint))
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    return send(request, "POST " + endpoint);
  }

  /**
   * Uploads {@code file} to {@code <artifact root>/<relativePath>} through the server's artifact
   * proxy. The run's artifact URI is {@code mlflow-artifacts:/<experiment>/<run>/artifacts} when
   * the server runs with --serve-artifacts; the proxy serves it under
   * {@code /api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/...}.
   */
  void upload(String artifactUri, String relativePath, Path file) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(artifactUrl(artifactUri, relativePath))
        .timeout(artifactTimeout)
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofFile(file));
    send(request, "PUT artifact " + relativePath);
  }

  URI artifactUrl(String artifactUri, String relativePath) {
    URI root = URI.create(artifactUri);
    if (!"mlflow-artifacts".equals(root.getScheme())) {
      throw new IllegalStateException("the server does not proxy artifacts (run artifact URI "
          + artifactUri + "); start it with --serve-artifacts (scripts/mlflow-server does)");
    }
    String path = root.getPath().replaceAll("/+$", "");
    return resolve("/api/2.0/mlflow-artifacts/artifacts" + path + "/" + relativePath);
  }

  private URI resolve(String path) {
    try {
      // The multi-argument constructor percent-encodes spaces and other characters in the path.
      return new URI(base.getScheme(), base.getRawAuthority(), base.getPath() + path, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot build a URL for " + path + " on " + base, e);
    }
  }

  private String send(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
    authorization.ifPresent(a -> request.header("Authorization", a));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new HttpError(response.statusCode(), what, response.body());
    }
    return response.body();
  }
}
