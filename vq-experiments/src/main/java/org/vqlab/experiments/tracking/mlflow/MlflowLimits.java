package org.vqlab.experiments.tracking.mlflow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the server accepts for names and values (mlflow/utils/validation.py in the pinned 3.17.2),
 * applied before anything is queued so that a long config value never makes a whole batch fail.
 */
final class MlflowLimits {
  /** MAX_ENTITY_KEY_LENGTH: param, metric and tag keys. */
  static final int MAX_KEY_LENGTH = 250;
  /** MAX_PARAMS_TAGS_PER_BATCH of the log-batch endpoint. */
  static final int MAX_PARAMS_TAGS_PER_BATCH = 100;
  /** MAX_BATCH_LOG_REQUEST_SIZE is 1e6 bytes; stay well under it. */
  static final int MAX_BATCH_BYTES = 900_000;
  static final String REDACTED = "<redacted>";

  // Names may hold letters, digits, '_', '-', '.', ' ', ':' and '/' (colon not on Windows servers).
  private static final Pattern INVALID_NAME_CHAR = Pattern.compile("[^\\p{Alnum}_\\-. :/]");

  private MlflowLimits() {}

  /**
   * {@code value} cut to at most {@code max} characters, ending in a marker that says how long it
   * was, so that a reader of the MLflow UI knows to look at config.conf in the run directory.
   */
  static String truncate(String value, int max) {
    if (value.length() <= max) {
      return value;
    }
    String marker = "... [truncated, " + value.length() + " chars]";
    int keep = max - marker.length();
    if (keep > 0 && Character.isHighSurrogate(value.charAt(keep - 1))) {
      keep--;
    }
    return value.substring(0, Math.max(0, keep)) + marker;
  }

  /** A key the server accepts: invalid characters become '_', then cut to the key length limit. */
  static String name(String key) {
    String clean = INVALID_NAME_CHAR.matcher(key).replaceAll("_");
    return clean.length() <= MAX_KEY_LENGTH ? clean : clean.substring(0, MAX_KEY_LENGTH);
  }

  /** {@link #REDACTED} if {@code value} contains a secret, else the value truncated to {@code max}. */
  static String value(String value, int max, Collection<String> secrets) {
    String v = value == null ? "" : value;
    for (String s : secrets) {
      if (v.contains(s)) {
        return REDACTED;
      }
    }
    return truncate(v, max);
  }

  /** Keys and values made acceptable; keys that collide after cleaning keep the first value. */
  static Map<String, String> entries(Map<String, String> in, int max, Collection<String> secrets) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : in.entrySet()) {
      out.putIfAbsent(name(e.getKey()), value(e.getValue(), max, secrets));
    }
    return out;
  }

  /** Splits into chunks of at most {@code size} entries, in order. */
  static <T> List<List<T>> chunks(List<T> items, int size) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      out.add(items.subList(i, Math.min(items.size(), i + size)));
    }
    return out;
  }
}
