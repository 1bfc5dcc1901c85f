package org.streamtagger.tools.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.streamtagger.tagging.inference.SentenceTagger;
import org.streamtagger.tagging.inference.TextTagger;

/**
 * The model alone, fed sentences at a fixed rate as the latency runs feed the stream, with no
 * Kafka: the latency the model itself has at that rate on this machine, a floor under the stream's.
 *
 * <p>Each lane stands for a stream thread: sentence {@code i} goes to lane {@code i % lanes}, and a
 * lane tags everything that has arrived for it (up to the batch size) in one call as soon as its
 * previous call returns. That is the processor's batching with no wait at all, so the stream can
 * only do worse: what this shows of a queue at some rate is the model's, not Kafka's.
 */
final class PacedInference {
  private final SentenceTagger tagger;
  private final List<String> texts;
  private final int maxBatch;

  PacedInference(SentenceTagger tagger, List<String> texts, int maxBatch) {
    if (texts.isEmpty() || maxBatch < 1) {
      throw new IllegalArgumentException("need sentences and a batch size of at least 1");
    }
    this.tagger = tagger;
    this.texts = texts;
    this.maxBatch = maxBatch;
  }

  /** What one paced run measured, over the sentences that arrived after the warm-up. */
  record Result(long[] latencyMicros, List<Integer> batchSizes, double busy, int lanes) {
    Map<String, Object> toMap(double rate) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("pipeline", "inference alone, paced");
      r.put("threads", lanes);
      r.put("rate_sentences_per_s", rate);
      r.put("sentences", latencyMicros.length);
      r.put("p50_ms", percentile(0.50) / 1000.0);
      r.put("p99_ms", percentile(0.99) / 1000.0);
      r.put("max_ms", percentile(1.0) / 1000.0);
      r.put("mean_batch", batchSizes.stream().mapToInt(Integer::intValue).average().orElse(0));
      // The share of each lane's time in model calls, as model_busy in the stream's latency runs.
      r.put("model_busy", busy);
      return r;
    }

    long percentile(double q) {
      return Percentiles.of(latencyMicros, q);
    }
  }

  /**
   * Sends {@code rate} sentences a second for {@code warmUp} (not measured) and then {@code
   * measured}, spread over {@code lanes} threads, and waits until all are tagged.
   */
  Result run(double rate, int lanes, Duration warmUp, Duration measured)
      throws InterruptedException {
    long interval = (long) (1e9 / rate);
    long total = (long) ((warmUp.toNanos() + measured.toNanos()) / (double) interval);
    long firstMeasured = (long) (warmUp.toNanos() / (double) interval);
    long start = System.nanoTime() + 50_000_000L; // the lanes start together
    List<Lane> all = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int l = 0; l < lanes; l++) {
      Lane lane = new Lane(l, lanes, start, interval, total, firstMeasured);
      all.add(lane);
      Thread t = new Thread(lane, "paced-inference-" + l);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    List<Long> latencies = new ArrayList<>();
    List<Integer> batches = new ArrayList<>();
    double busy = 0;
    for (Lane lane : all) {
      if (lane.failure != null) {
        throw new IllegalStateException("the model failed in a paced run", lane.failure);
      }
      latencies.addAll(lane.latencies);
      batches.addAll(lane.batches);
      busy += lane.busyNanos / (double) measured.toNanos();
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Result(sorted, batches, busy / lanes, lanes);
  }

  /** One thread's share of the arrivals, tagged in batches of whatever has arrived. */
  private final class Lane implements Runnable {
    private final TextTagger textTagger = new TextTagger(tagger);
    private final long start;
    private final long interval;
    private final long total;
    private final long firstMeasured;
    private final int lanes;
    private long next; // the next arrival of this lane
    final List<Long> latencies = new ArrayList<>();
    final List<Integer> batches = new ArrayList<>();
    long busyNanos;
    RuntimeException failure;

    Lane(int lane, int lanes, long start, long interval, long total, long firstMeasured) {
      this.lanes = lanes;
      this.start = start;
      this.interval = interval;
      this.total = total;
      this.firstMeasured = firstMeasured;
      this.next = lane;
    }

    private long arrival(long i) {
      return start + i * interval;
    }

    @Override
    public void run() {
      try {
        List<Long> waiting = new ArrayList<>();
        while (next < total || !waiting.isEmpty()) {
          long now = System.nanoTime();
          while (next < total && arrival(next) <= now && waiting.size() < maxBatch) {
            waiting.add(next);
            next += lanes;
          }
          if (waiting.isEmpty()) {
            LockSupport.parkNanos(arrival(next) - now);
            continue;
          }
          tag(waiting);
          waiting.clear();
        }
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    private void tag(List<Long> ids) {
      List<String> batch = new ArrayList<>(ids.size());
      for (long id : ids) {
        batch.add(texts.get((int) (id % texts.size())));
      }
      long called = System.nanoTime();
      textTagger.tagAll(batch);
      long done = System.nanoTime();
      boolean measuring = false;
      for (long id : ids) {
        if (id >= firstMeasured) {
          latencies.add((done - arrival(id)) / 1000);
          measuring = true;
        }
      }
      if (measuring) {
        batches.add(ids.size());
        busyNanos += done - Math.max(called, arrival(firstMeasured));
      }
    }
  }
}
