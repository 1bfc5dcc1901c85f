package org.streamtagger.processor.topology;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets a clean stop empty the batch buffers before the streams close. Once requested, every
 * processor tags a record as soon as it is buffered (and the next punctuation tags what was already
 * waiting), so the stop leaves nothing in the buffers that only a restart would emit. Shared by all
 * processors of one service.
 */
public final class Draining {
  private volatile boolean requested;
  private final AtomicInteger waiting = new AtomicInteger();

  /** From now on, buffered records are tagged at once. */
  void request() {
    requested = true;
  }

  boolean requested() {
    return requested;
  }

  /** A processor's buffer grew ({@code delta} > 0) or was emptied or handed over. */
  void buffered(int delta) {
    waiting.addAndGet(delta);
  }

  /** Records waiting in all buffers of this service. */
  int waiting() {
    return waiting.get();
  }

  /**
   * Waits until no record waits in any buffer.
   *
   * @return whether the buffers emptied within {@code max}
   */
  boolean awaitEmpty(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (waiting.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }
}
