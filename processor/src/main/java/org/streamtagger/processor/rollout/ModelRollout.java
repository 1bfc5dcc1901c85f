package org.streamtagger.processor.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamtagger.tagging.inference.InferenceOptions;
import org.streamtagger.tagging.inference.ModelInfo;
import org.streamtagger.tagging.inference.OnnxTagger;

/**
 * Follows the model control topic and swaps the {@link ServingModel} when a model is announced.
 * Every instance reads the whole topic without a consumer group (each must see every announcement).
 * At start it reads what is there and serves the newest announced model that passes its checks
 * (else the configured one); then a thread of its own handles each new announcement: fetch,
 * SHA-256, load (inputs, outputs, metadata), {@link CandidateCheck}, swap. A model that fails is
 * refused with one log line and counted; the served model stays. Nothing here can stop the stream.
 */
public final class ModelRollout implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRollout.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /** A start or a task's catch-up waits at most this long for the control topic. */
  private static final Duration CATCH_UP_BOUND = Duration.ofSeconds(15);

  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ServingModel serving;
  private final InferenceOptions options;
  private final Consumer<ServingModel> onSwap;
  private final AtomicLong swaps = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();
  private final Thread follower;

  /**
   * Guards the consumer. Fair, so that a task's catch-up gets it between two of the follower's
   * polls rather than waiting behind them.
   */
  private final ReentrantLock lock = new ReentrantLock(true);

  private volatile boolean closing;

  private ModelRollout(
      String topic,
      KafkaConsumer<byte[], byte[]> consumer,
      ServingModel serving,
      InferenceOptions options,
      Consumer<ServingModel> onSwap) {
    this.topic = topic;
    this.consumer = consumer;
    this.serving = serving;
    this.options = options;
    this.onSwap = onSwap;
    this.follower = new Thread(this::follow, "model-rollout");
    this.follower.setDaemon(true);
  }

  /**
   * Reads the control topic to its end, serves the newest acceptable model announced there, and
   * follows the topic from then on.
   *
   * @param consumerSettings a consumer's settings (bootstrap, security), without a group
   * @param onSwap told after every swap (for the metrics)
   */
  public static ModelRollout start(
      String topic,
      Properties consumerSettings,
      ServingModel serving,
      InferenceOptions options,
      Consumer<ServingModel> onSwap) {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings);
    ModelRollout r = new ModelRollout(topic, consumer, serving, options, onSwap);
    try {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, CATCH_UP_BOUND);
      if (partitions == null || partitions.isEmpty()) {
        throw new IllegalStateException("the model control topic " + topic + " does not exist");
      }
      List<TopicPartition> assigned = new ArrayList<>();
      partitions.forEach(p -> assigned.add(new TopicPartition(topic, p.partition())));
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      r.startFromHistory();
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
    serving.onCatchUp(r::catchUp);
    r.follower.start();
    return r;
  }

  /** Swaps done since the start. */
  public long swaps() {
    return swaps.get();
  }

  /** Announcements refused since the start (not a model announcement, or a model that failed). */
  public long refusals() {
    return refusals.get();
  }

  /** At start: the newest announcement that passes, tried from the newest back. */
  private void startFromHistory() {
    lock.lock();
    try {
      List<Announced> history = new ArrayList<>();
      readToEnd(history::add);
      for (int i = history.size() - 1; i >= 0; i--) {
        if (apply(history.get(i), "at start")) {
          return;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Handles every announcement on the topic now (a task calls it before it tags). */
  private void catchUp() {
    lock.lock();
    try {
      if (!closing) {
        readToEnd(a -> apply(a, "catching up"));
      }
    } catch (RuntimeException e) {
      LOG.warn("model control topic {}: catching up failed ({}); goes on", topic, e.toString());
    } finally {
      lock.unlock();
    }
  }

  private void follow() {
    while (!closing) {
      try {
        lock.lock();
        try {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            Announced a = read(r);
            if (a != null) {
              apply(a, "announced");
            }
          }
        } finally {
          lock.unlock();
        }
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        if (closing) {
          return;
        }
        LOG.warn("model control topic {}: {}; retrying in 1 s", topic, e.toString());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** An announcement and where it was read. */
  private record Announced(ModelAnnouncement announcement, String where) {}

  /** Reads until every partition's position is its end offset as of now. */
  private void readToEnd(Consumer<Announced> each) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), CATCH_UP_BOUND);
    long deadline = System.nanoTime() + CATCH_UP_BOUND.toNanos();
    while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      if (System.nanoTime() > deadline) {
        LOG.warn("model control topic {}: not read to its end within {}", topic, CATCH_UP_BOUND);
        return;
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        Announced a = read(r);
        if (a != null) {
          each.accept(a);
        }
      }
    }
  }

  private Announced read(ConsumerRecord<byte[], byte[]> r) {
    String where = r.topic() + "-" + r.partition() + "@" + r.offset();
    try {
      return new Announced(ModelAnnouncement.parse(r.value()), where);
    } catch (IllegalArgumentException e) {
      refused(where, e.getMessage());
      return null;
    }
  }

  /** Fetches, checks and swaps in one announced model; false if it was refused. */
  private boolean apply(Announced announced, String when) {
    ModelAnnouncement a = announced.announcement();
    String where = announced.where();
    ModelInfo now = serving.info();
    String nowLabel = now.name() + ":" + now.version();
    if (a.sha256().equals(serving.sha256())) {
      if (!a.label().equals(nowLabel)) {
        refused(where, a.label() + " is the file already served as " + nowLabel);
        return false;
      }
      LOG.info("model {} ({}): already served, nothing to do", a.label(), where);
      return true;
    }
    if (a.label().equals(nowLabel)) {
      refused(where, a.label() + " is served already from another file: announce a new version");
      return false;
    }
    byte[] bytes;
    try {
      bytes = ModelFetch.fetch(a.location());
    } catch (java.io.IOException e) {
      refused(where, a.label() + ": cannot fetch " + a.location() + ": " + e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    String sha = OnnxTagger.sha256Of(bytes);
    if (!sha.equals(a.sha256())) {
      refused(
          where,
          a.label() + ": " + a.location() + " has SHA-256 " + sha + ", announced " + a.sha256());
      return false;
    }
    OnnxTagger candidate;
    try {
      candidate = OnnxTagger.fromBytes(bytes, a.location(), options);
    } catch (java.io.IOException | RuntimeException e) {
      refused(where, a.label() + ": " + e.getMessage());
      return false;
    }
    String why;
    try {
      why = CandidateCheck.refusal(candidate, now);
    } catch (RuntimeException e) {
      why = "its check failed: " + e;
    }
    if (why != null) {
      candidate.close();
      refused(where, a.label() + ": " + why);
      return false;
    }
    serving.swap(ServingModel.Labelled.of(candidate, a.name(), a.version()), candidate, sha);
    swaps.incrementAndGet();
    LOG.info(
        "model {} serves from the next batch on ({} {}, was {}; {})",
        a.label(),
        when,
        where,
        nowLabel,
        a.location());
    try {
      onSwap.accept(serving);
    } catch (RuntimeException e) {
      LOG.warn("after the swap: {}", e.toString());
    }
    return true;
  }

  private void refused(String where, String why) {
    refusals.incrementAndGet();
    LOG.warn(
        "model refused ({}): {}; still serving {}:{}",
        where,
        why,
        serving.info().name(),
        serving.info().version());
  }

  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    consumer.wakeup();
    try {
      follower.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      consumer.close(Duration.ofSeconds(1));
    } finally {
      lock.unlock();
    }
  }
}
