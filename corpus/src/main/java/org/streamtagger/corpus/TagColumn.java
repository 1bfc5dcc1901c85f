package org.streamtagger.corpus;

import java.util.Locale;

/** Which CoNLL-U column a tagger predicts. */
public enum TagColumn {
  UPOS,
  XPOS;

  /**
   * Parses {@code upos} or {@code xpos} (any case).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static TagColumn parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown tag column '" + name + "': expected upos or xpos", e);
    }
  }
}
