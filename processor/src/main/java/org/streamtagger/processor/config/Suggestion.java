package org.streamtagger.processor.config;

import java.util.Collection;
import java.util.Optional;

/** The known name closest to a mistyped one, when one is close enough to be what was meant. */
final class Suggestion {
  private Suggestion() {}

  /**
   * The candidate nearest to {@code name} by edit distance, if it is within a few edits (one per
   * five characters, at least two).
   */
  static Optional<String> closest(String name, Collection<String> candidates) {
    int allowed = Math.max(2, name.length() / 5);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      if (Math.abs(c.length() - name.length()) > allowed) {
        continue;
      }
      int d = distance(name, c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** Levenshtein distance: insertions, deletions and substitutions. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }

  /** {@code "; did you mean X?"}, or nothing. */
  static String hint(String name, Collection<String> candidates) {
    return closest(name, candidates).map(c -> "; did you mean " + c + "?").orElse("");
  }
}
