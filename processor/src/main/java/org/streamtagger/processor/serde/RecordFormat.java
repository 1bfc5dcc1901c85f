package org.streamtagger.processor.serde;

import java.util.Locale;

/** How input records are written. */
public enum RecordFormat {
  /** Avro binary, single-object encoding (schema fingerprint in the header). */
  AVRO,
  /** A JSON object: {@code {"id": ..., "text": ...}} or {@code "tokens": [...]}. */
  JSON,
  /** Plain UTF-8 text: the whole value is the sentence. */
  TEXT,
  /** Any of the three, told apart by the first bytes. */
  AUTO;

  /**
   * Parses a format name (any case).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static RecordFormat parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown record format '" + s + "': expected avro, json, text or auto", e);
    }
  }
}
