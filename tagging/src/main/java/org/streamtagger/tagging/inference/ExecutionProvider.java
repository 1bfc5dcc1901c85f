package org.streamtagger.tagging.inference;

import java.util.Locale;

/** Where ONNX Runtime runs the model. */
public enum ExecutionProvider {
  CPU,
  CUDA;

  /**
   * Parses {@code cpu} or {@code cuda} (any case).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static ExecutionProvider parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown execution provider '" + s + "': expected cpu or cuda", e);
    }
  }
}
