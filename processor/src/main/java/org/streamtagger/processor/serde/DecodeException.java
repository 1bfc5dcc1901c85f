package org.streamtagger.processor.serde;

import org.streamtagger.avro.ErrorKind;

/**
 * A record that cannot become a {@code Sentence}, with the dead-letter kind and reason, and the
 * sentence id when it could be read before the problem was found.
 */
public final class DecodeException extends Exception {
  private final ErrorKind kind;
  private final String sentenceId;

  public DecodeException(ErrorKind kind, String reason) {
    this(kind, reason, null, null);
  }

  public DecodeException(ErrorKind kind, String reason, Throwable cause) {
    this(kind, reason, null, cause);
  }

  public DecodeException(ErrorKind kind, String reason, String sentenceId, Throwable cause) {
    super(reason, cause);
    this.kind = kind;
    this.sentenceId = sentenceId;
  }

  public ErrorKind kind() {
    return kind;
  }

  /** The sentence's id, if it was read; else null. */
  public String sentenceId() {
    return sentenceId;
  }
}
