package org.streamtagger.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {
  private static final StreamThreadExceptionResponse REPLACE =
      StreamThreadExceptionResponse.REPLACE_THREAD;
  private static final StreamThreadExceptionResponse SHUTDOWN =
      StreamThreadExceptionResponse.SHUTDOWN_CLIENT;

  @Test
  void aThreadIsReplacedABoundedNumberOfTimesInTheWindowThenTheClientShutsDown() {
    StreamThreadFailures f = new StreamThreadFailures();
    RuntimeException e = new IllegalStateException("a broker hiccup");
    long t = 1_000_000;
    for (int i = 0; i < StreamThreadFailures.MAX_REPLACEMENTS; i++) {
      assertEquals(REPLACE, f.onFailure(e, t + i * 1_000));
    }
    assertNull(f.cause());
    assertEquals(SHUTDOWN, f.onFailure(e, t + 10_000));
    assertSame(e, f.cause());
  }

  @Test
  void replacementsOlderThanTheWindowNoLongerCount() {
    StreamThreadFailures f = new StreamThreadFailures();
    RuntimeException e = new IllegalStateException("now and then");
    long t = 0;
    for (int i = 0; i < 10; i++) {
      assertEquals(REPLACE, f.onFailure(e, t));
      t += StreamThreadFailures.WINDOW_MS / 2; // never more than two in a window
    }
  }

  @Test
  void whatWouldOnlyFailAgainShutsDownAtOnce() {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    MissingSourceTopicException gone = new MissingSourceTopicException("gone");
    TopicAuthorizationException denied = new TopicAuthorizationException("may not write");
    SaslAuthenticationException badPassword = new SaslAuthenticationException("bad password");
    Throwable[][] cases = {
      {new StreamsException(oom), oom},
      {gone, gone},
      {new StreamsException(denied), denied},
      {badPassword, badPassword}
    };
    for (Throwable[] c : cases) {
      StreamThreadFailures f = new StreamThreadFailures();
      assertEquals(SHUTDOWN, f.onFailure(c[0], 0), c[0].toString());
      assertSame(c[1], f.cause());
    }
  }
}
