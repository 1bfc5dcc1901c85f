package org.streamtagger.processor.topology;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.streamtagger.avro.ErrorKind;

/**
 * The headers Kafka Streams' own dead-letter queue gives its records (KIP-1034, Kafka 4.2 and
 * later), with the same names and the same text encoding, so that tooling written for those reads
 * this processor's dead letters as well: the exception's class, its message, its stack trace, and
 * the source topic, partition and offset. A dead letter whose reason was found rather than thrown
 * names its kind as the exception ({@code org.streamtagger.avro.ErrorKind.TOO_LARGE}) and has no
 * stack trace.
 */
final class DeadLetterHeaders {
  static final String EXCEPTION = "__streams.errors.exception";
  static final String MESSAGE = "__streams.errors.message";
  static final String STACKTRACE = "__streams.errors.stacktrace";
  static final String TOPIC = "__streams.errors.topic";
  static final String PARTITION = "__streams.errors.partition";
  static final String OFFSET = "__streams.errors.offset";

  /** A stack trace is cut to this many characters: the first frames say where it happened. */
  private static final int MAX_STACKTRACE_CHARS = 4_000;

  private DeadLetterHeaders() {}

  static Headers of(BufferedRecord r, ErrorKind kind, String reason, Throwable cause) {
    Headers h = new RecordHeaders();
    h.add(
        EXCEPTION,
        utf8(cause != null ? cause.getClass().getName() : ErrorKind.class.getName() + "." + kind));
    h.add(MESSAGE, utf8(reason));
    if (cause != null) {
      StringWriter trace = new StringWriter();
      cause.printStackTrace(new PrintWriter(trace));
      String t = trace.toString();
      h.add(
          STACKTRACE,
          utf8(t.length() <= MAX_STACKTRACE_CHARS ? t : t.substring(0, MAX_STACKTRACE_CHARS)));
    }
    h.add(TOPIC, utf8(r.topic()));
    h.add(PARTITION, utf8(Integer.toString(r.partition())));
    h.add(OFFSET, utf8(Long.toString(r.offset())));
    return h;
  }

  /** The original headers, then the dead letter's. */
  static Headers join(Headers original, Headers deadLetter) {
    Headers all = new RecordHeaders();
    for (Header h : original) {
      all.add(h);
    }
    for (Header h : deadLetter) {
      all.add(h);
    }
    return all;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
