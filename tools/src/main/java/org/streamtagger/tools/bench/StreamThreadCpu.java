package org.streamtagger.tools.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time of Kafka Streams' stream threads in this JVM over a measurement: whether they were
 * saturated, and how much of their time was not the model's.
 */
final class StreamThreadCpu {
  private static final Pattern STREAM_THREAD = Pattern.compile(".*-StreamThread-\\d+");

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startNanos = new HashMap<>();
  private long startWall;

  StreamThreadCpu start() {
    startNanos.clear();
    startNanos.putAll(cpuByThread());
    startWall = System.nanoTime();
    return this;
  }

  /** CPU seconds per wall second, averaged over the stream threads (1: each kept a core busy). */
  double busyShare() {
    double wall = System.nanoTime() - startWall;
    Map<Long, Long> now = cpuByThread();
    if (now.isEmpty() || wall <= 0) {
      return 0;
    }
    double cpu = 0;
    for (var e : now.entrySet()) {
      cpu += e.getValue() - startNanos.getOrDefault(e.getKey(), 0L);
    }
    return cpu / wall / now.size();
  }

  private Map<Long, Long> cpuByThread() {
    Map<Long, Long> out = new HashMap<>();
    if (!threads.isThreadCpuTimeSupported()) {
      return out;
    }
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      // "<client id>-StreamThread-<n>"; its producer's network thread carries the name too.
      if (info != null && STREAM_THREAD.matcher(info.getThreadName()).matches()) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          out.put(info.getThreadId(), cpu);
        }
      }
    }
    return out;
  }
}
