package org.example.perclass;

import java.util.List;

/** The {@code eval.per_class_error} section; see config/sections/eval/per_class_error.conf. */
public record PerClassErrorConfig(List<String> classNames, int minItems) {
  public PerClassErrorConfig {
    if (minItems < 1) {
      throw new IllegalArgumentException("min_items must be >= 1, got " + minItems);
    }
    for (String name : classNames) {
      if (!name.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("class_names entries are used in metric keys: letters,"
            + " digits, '_', '.', '-'; got '" + name + "'");
      }
    }
    classNames = List.copyOf(classNames);
  }

  /** The key part of class {@code k}. */
  String name(int k) {
    return k < classNames.size() ? classNames.get(k) : "class_" + k;
  }
}
