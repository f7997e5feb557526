package org.vqlab.core.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the known name closest to a misspelt one (Levenshtein distance on the last path part first). */
public final class Suggestions {
  private Suggestions() {}

  public static Optional<String> closest(String wrong, Collection<String> known) {
    // A key in the same section is the likelier intent: look there first.
    int dot = wrong.lastIndexOf('.');
    if (dot > 0) {
      String section = wrong.substring(0, dot + 1);
      Optional<String> sibling = known.stream().filter(k -> k.startsWith(section)
              && k.indexOf('.', section.length()) < 0)
          .min(Comparator.comparingInt((String k) -> score(wrong, k)).thenComparing(k -> k));
      if (sibling.isPresent()) {
        return sibling;
      }
    }
    return known.stream()
        .min(Comparator.comparingInt((String k) -> score(wrong, k)).thenComparing(k -> k))
        .filter(k -> score(wrong, k) <= Math.max(3, wrong.length() / 2) * 10 + 5);
  }

  /** Distance of the last segments, weighted above the distance of the whole paths. */
  private static int score(String wrong, String known) {
    return 10 * distance(last(wrong), last(known)) + Math.min(distance(wrong, known), 9);
  }

  private static String last(String path) {
    int dot = path.lastIndexOf('.');
    return (dot < 0 ? path : path.substring(dot + 1)).toLowerCase(Locale.ROOT);
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** " (did you mean 'x'?)" or the empty string. */
  public static String didYouMean(String wrong, Collection<String> known) {
    return closest(wrong, known).map(k -> "; closest known key: '" + k + "'").orElse("");
  }
}
