package org.vqlab.core.config;

/**
 * A mistake in the user's config or command line. The message names the key, file or value at
 * fault and what would be right; the command line prints it without a stack trace and exits 2.
 */
public class ConfigError extends RuntimeException {
  public ConfigError(String message) {
    super(message);
  }

  public ConfigError(String message, Throwable cause) {
    super(message, cause);
  }
}
