package org.vqlab.experiments.tracking.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;

/**
 * Credentials for the tracking server, read only from the environment like MLflow's own clients:
 * MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (HTTP Basic) take precedence over
 * MLFLOW_TRACKING_TOKEN (Bearer). {@link #toString()} never shows a secret, and
 * {@link #secrets()} lets the tracker redact any param or tag that would contain one.
 */
public final class MlflowCredentials {
  public static final String TOKEN = "MLFLOW_TRACKING_TOKEN";
  public static final String USERNAME = "MLFLOW_TRACKING_USERNAME";
  public static final String PASSWORD = "MLFLOW_TRACKING_PASSWORD";

  private final String username;
  private final String password;
  private final String token;

  private MlflowCredentials(String username, String password, String token) {
    this.username = blankToNull(username);
    this.password = blankToNull(password);
    this.token = blankToNull(token);
  }

  public static MlflowCredentials fromEnvironment() {
    return from(System.getenv());
  }

  /** From an environment map; tests pass their own. */
  public static MlflowCredentials from(Map<String, String> environment) {
    return new MlflowCredentials(environment.get(USERNAME), environment.get(PASSWORD),
        environment.get(TOKEN));
  }

  public static MlflowCredentials none() {
    return new MlflowCredentials(null, null, null);
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private boolean basic() {
    return username != null && password != null;
  }

  /** The value of the Authorization header, if any credentials are set. */
  public Optional<String> authorization() {
    if (basic()) {
      return Optional.of("Basic " + Base64.getEncoder()
          .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return token == null ? Optional.empty() : Optional.of("Bearer " + token);
  }

  /** Strings that must never be published: the password, the token and the Basic header value. */
  public List<String> secrets() {
    List<String> out = new ArrayList<>();
    if (password != null) {
      out.add(password);
    }
    if (token != null) {
      out.add(token);
    }
    authorization().ifPresent(a -> out.add(a.substring(a.indexOf(' ') + 1)));
    return out;
  }

  /** The Java client's view: the same header it would build from these values. */
  MlflowHostCredsProvider hostCredsProvider(String uri) {
    if (basic()) {
      return new BasicMlflowHostCreds(uri, username, password);
    }
    return token == null ? new BasicMlflowHostCreds(uri) : new BasicMlflowHostCreds(uri, token);
  }

  @Override
  public String toString() {
    return basic() ? "basic auth as " + username : token != null ? "bearer token" : "no credentials";
  }
}
