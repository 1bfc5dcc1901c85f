package org.streamtagger.processor.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Producing to and reading from a real broker in tests. */
final class StreamHarness implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String bootstrap;
  private final Map<String, Object> clientSettings;

  StreamHarness(String bootstrap) {
    this(bootstrap, Map.of());
  }

  /**
   * With client settings of the test's own: security for both clients, or a producer setting (a
   * larger max.request.size).
   */
  StreamHarness(String bootstrap, Map<String, Object> clientSettings) {
    this.bootstrap = bootstrap;
    this.clientSettings = clientSettings;
    Map<String, Object> p = new HashMap<>(clientSettings);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    producer = new KafkaProducer<>(p);
  }

  /** Sends and waits for the broker's acknowledgement (a failed send fails the test). */
  void send(String topic, String key, byte[] value) throws Exception {
    send(topic, null, key, value);
  }

  /** Sends to a partition (null: the key's) and waits for the broker's acknowledgement. */
  void send(String topic, Integer partition, String key, byte[] value) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topic, partition, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
        .get(30, TimeUnit.SECONDS);
  }

  /** A consumer of committed records only, from the beginning. */
  KafkaConsumer<byte[], byte[]> consumer(String topic, String group) {
    Map<String, Object> c = new HashMap<>();
    clientSettings.forEach(
        (k, v) -> {
          if (ConsumerConfig.configNames().contains(k)) {
            c.put(k, v);
          }
        });
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  /** Polls until {@code done} holds for what was read, or the time is up. */
  static List<ConsumerRecord<byte[], byte[]>> readUntil(
      KafkaConsumer<byte[], byte[]> consumer,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
      Duration max) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.test(out) && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    return out;
  }

  @Override
  public void close() {
    producer.close();
  }
}
