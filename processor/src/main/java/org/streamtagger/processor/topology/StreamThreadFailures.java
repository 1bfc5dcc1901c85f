package org.streamtagger.processor.topology;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies. No record's failure gets here (each becomes its record's
 * dead letter), so what does is Kafka's or the machine's:
 *
 * <ul>
 *   <li>what would only fail again shuts the client down at once: the machine itself (out of
 *       memory, a class that cannot load), a source topic that is gone, an authentication or
 *       authorization failure, a session timeout the broker does not allow;
 *   <li>anything else gets a new thread, up to {@link #MAX_REPLACEMENTS} times within {@link
 *       #WINDOW_MS}; one more failure in that window shuts the client down.
 * </ul>
 *
 * A client shut down goes to ERROR, and {@link #cause()} says why: the process then exits non-zero
 * ({@code tagger run}), so that an orchestrator restarts it or a person looks.
 */
final class StreamThreadFailures {
  private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);

  static final int MAX_REPLACEMENTS = 3;
  static final long WINDOW_MS = 10 * 60_000;

  private final Deque<Long> replacements = new ArrayDeque<>();
  private final AtomicReference<Throwable> cause = new AtomicReference<>();

  /** The response to a stream thread that died with {@code e} at {@code nowMs}. */
  synchronized StreamThreadExceptionResponse onFailure(Throwable e, long nowMs) {
    Throwable hopeless = hopeless(e);
    if (hopeless != null) {
      LOG.error(
          "stream thread failed with {}: the processor cannot go on; shutting down", hopeless, e);
      cause.compareAndSet(null, hopeless);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    while (!replacements.isEmpty() && nowMs - replacements.peekFirst() > WINDOW_MS) {
      replacements.removeFirst();
    }
    if (replacements.size() >= MAX_REPLACEMENTS) {
      LOG.error(
          "stream thread failed for the {}th time in {} minutes: shutting down",
          replacements.size() + 1,
          WINDOW_MS / 60_000,
          e);
      cause.compareAndSet(null, e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    replacements.addLast(nowMs);
    LOG.error(
        "stream thread failed; replacing it ({} of {} replacements in {} minutes)",
        replacements.size(),
        MAX_REPLACEMENTS,
        WINDOW_MS / 60_000,
        e);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** Why the client was shut down, once it was; else null. */
  Throwable cause() {
    return cause.get();
  }

  /** The error in {@code e}'s causes that no new thread could get past, or null. */
  private static Throwable hopeless(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (RecordTagger.isFatal(t)
          || t instanceof MissingSourceTopicException
          || t instanceof AuthenticationException
          || t instanceof AuthorizationException
          || t instanceof InvalidSessionTimeoutException) {
        return t;
      }
    }
    return null;
  }
}
