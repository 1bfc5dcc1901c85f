package org.streamtagger.processor.serde;

import org.streamtagger.avro.ErrorKind;

/** A record that cannot become a {@code Sentence}, with the dead-letter kind and reason. */
public final class DecodeException extends Exception {
  private final ErrorKind kind;

  public DecodeException(ErrorKind kind, String reason) {
    super(reason);
    this.kind = kind;
  }

  public DecodeException(ErrorKind kind, String reason, Throwable cause) {
    super(reason, cause);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }
}
