package org.streamtagger.processor.topology;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedSum;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The processor's own metrics, registered with Kafka Streams' metrics registry (so they appear in
 * JMX and in any reporter the user configured), group {@code stream-tagging-metrics}, tagged by
 * task: sentences and tokens tagged, dead letters, batch size, inference latency, and the share of
 * time spent in model calls. That share, summed over the tasks a stream thread runs, is what
 * decides the latency: a thread whose model calls take most of its time leaves records queued
 * behind them (docs/BENCHMARKS.md).
 */
final class TaggingMetrics {
  private static final String GROUP = "stream-tagging-metrics";
  private final Sensor sentences;
  private final Sensor tokens;
  private final Sensor deadLetters;
  private final Sensor batchSize;
  private final Sensor inference;

  TaggingMetrics(StreamsMetrics registry, String taskId) {
    Map<String, String> tags = Map.of("task-id", taskId);
    sentences = sensor(registry, "sentences-tagged-" + taskId);
    sentences.add(
        new MetricName("sentences-tagged-total", GROUP, "Sentences tagged", tags),
        new CumulativeSum());
    sentences.add(
        new MetricName("sentences-tagged-rate", GROUP, "Sentences tagged per second", tags),
        new Rate());
    tokens = sensor(registry, "tokens-tagged-" + taskId);
    tokens.add(
        new MetricName("tokens-tagged-total", GROUP, "Tokens tagged", tags), new CumulativeSum());
    tokens.add(
        new MetricName("tokens-tagged-rate", GROUP, "Tokens tagged per second", tags), new Rate());
    deadLetters = sensor(registry, "dead-letters-" + taskId);
    deadLetters.add(
        new MetricName("dead-letters-total", GROUP, "Records sent to the dead-letter topic", tags),
        new CumulativeSum());
    batchSize = sensor(registry, "batch-size-" + taskId);
    batchSize.add(
        new MetricName("batch-size-avg", GROUP, "Sentences per model call", tags), new Avg());
    batchSize.add(new MetricName("batch-size-max", GROUP, "Largest batch", tags), new Max());
    inference = sensor(registry, "inference-latency-" + taskId);
    inference.add(
        new MetricName("inference-latency-avg-us", GROUP, "Microseconds per model call", tags),
        new Avg());
    inference.add(
        new MetricName("inference-latency-max-us", GROUP, "Slowest model call", tags), new Max());
    inference.add(
        new MetricName("model-time-total-us", GROUP, "Microseconds spent in model calls", tags),
        new CumulativeSum());
    // Microseconds of model calls per microsecond of the metrics' sample window.
    inference.add(
        new MetricName(
            "model-busy-ratio", GROUP, "Share of recent time spent in model calls (0-1)", tags),
        new Rate(TimeUnit.MICROSECONDS, new WindowedSum()));
  }

  private static Sensor sensor(StreamsMetrics registry, String name) {
    return registry.addSensor(name, Sensor.RecordingLevel.INFO);
  }

  void batch(int size, long micros) {
    batchSize.record(size);
    inference.record(micros);
  }

  void tagged(int tokenCount) {
    sentences.record(1);
    tokens.record(tokenCount);
  }

  void deadLetter() {
    deadLetters.record(1);
  }
}
