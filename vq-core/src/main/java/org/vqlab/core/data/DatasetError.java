package org.vqlab.core.data;

import org.vqlab.core.config.ConfigError;

/**
 * A dataset file is missing, unreadable or not in the format its config says. It extends
 * {@link ConfigError} so the command line prints the message (which names the file and what was
 * expected) without a stack trace: the fix is on the user's side, in files or config.
 */
public class DatasetError extends ConfigError {
  public DatasetError(String message) {
    super(message);
  }

  public DatasetError(String message, Throwable cause) {
    super(message, cause);
  }
}
