package org.streamtagger.tools.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * How much of a core the JVM's JIT compiler is taking. The broker, the Kafka clients and Kafka
 * Streams are a lot of code: for a minute or two after start-up the C2 compiler takes most of one
 * core, which on a two-core machine is a third of what the stream and the broker have. A benchmark
 * that measures then measures the compiler, so it waits for the compiler to go quiet first and
 * reports how busy it was during each measurement.
 */
final class JitActivity {
  /** Quiet: under 5% of a core over a window this long. */
  private static final double QUIET_SHARE = 0.05;

  static final Duration WINDOW = Duration.ofSeconds(3);

  private final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
  private long startMillis;
  private long startNanos;

  /** Starts a measurement: {@link #busyShare()} is relative to this moment. */
  JitActivity start() {
    startMillis = compiledMillis();
    startNanos = System.nanoTime();
    return this;
  }

  /** Cores' worth of compiling since {@link #start()} (0.5: half a core on average). */
  double busyShare() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return seconds <= 0 ? 0 : (compiledMillis() - startMillis) / 1e3 / seconds;
  }

  /** Whether the compiler has been quiet since {@link #start()} (meant over a {@link #WINDOW}). */
  boolean quiet() {
    return busyShare() < QUIET_SHARE;
  }

  /**
   * Blocks until the compiler has been quiet for a window, or {@code max} has passed.
   *
   * @return the seconds waited
   */
  double awaitQuiet(Duration max) throws InterruptedException {
    long begin = System.nanoTime();
    long deadline = begin + max.toNanos();
    while (System.nanoTime() < deadline) {
      start();
      Thread.sleep(WINDOW.toMillis());
      if (quiet()) {
        break;
      }
    }
    return (System.nanoTime() - begin) / 1e9;
  }

  /** Whether this JVM reports compilation time at all (otherwise the shares read 0). */
  boolean monitored() {
    return compiler != null && compiler.isCompilationTimeMonitoringSupported();
  }

  private long compiledMillis() {
    return monitored() ? compiler.getTotalCompilationTime() : 0;
  }
}
