package org.vqlab.core.config;

/**
 * One command-line override, Hydra's grammar: {@code key=value} sets a declared key or picks a group
 * option, {@code +key=value} adds a key that does not exist, {@code ~key} removes one.
 */
public record Override(Kind kind, String key, String value, String text) {

  public enum Kind { SET, ADD, REMOVE }

  public static Override parse(String arg) {
    if (arg.startsWith("~")) {
      String key = arg.substring(1);
      int eq = key.indexOf('=');
      if (eq >= 0) {
        key = key.substring(0, eq);
      }
      checkKey(key, arg);
      return new Override(Kind.REMOVE, key, null, arg);
    }
    Kind kind = Kind.SET;
    String body = arg;
    if (arg.startsWith("+")) {
      kind = Kind.ADD;
      body = arg.substring(1);
    }
    int eq = body.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError("cannot read override '" + arg
          + "': expected key=value, +key=value (add), ~key (remove), group=option or experiment=name");
    }
    String key = body.substring(0, eq).trim();
    checkKey(key, arg);
    return new Override(kind, key, body.substring(eq + 1), arg);
  }

  private static void checkKey(String key, String arg) {
    if (key.isEmpty() || !key.matches("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*")) {
      throw new ConfigError("cannot read override '" + arg + "': '" + key
          + "' is not a config key (dot-separated names of letters, digits, '_' and '-')");
    }
  }
}
