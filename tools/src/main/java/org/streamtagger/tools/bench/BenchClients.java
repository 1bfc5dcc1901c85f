package org.streamtagger.tools.bench;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.streamtagger.avro.Sentence;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.processor.serde.SentenceCodec;

/** The load and the reader of the stream benchmarks: Avro sentences in, committed records out. */
final class BenchClients {
  private BenchClients() {}

  /** A sentence record (Avro single-object encoding), keyed by its id. */
  static ProducerRecord<byte[], byte[]> sentence(String topic, String id, String text) {
    byte[] value = SentenceCodec.encodeAvro(new Sentence(id, text, null, null, new HashMap<>()));
    return new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), value);
  }

  /** A producer that sends at once (1 ms linger): the load must not batch itself. */
  static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    return new KafkaProducer<>(p);
  }

  /**
   * A reader of {@code topic}'s committed records from the start, in a group of its own, fetching
   * as soon as anything is there (5 ms): its wait is part of every latency measured.
   */
  static KafkaConsumer<byte[], byte[]> consumer(EmbeddedKafka kafka, String topic) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
    consumer.subscribe(List.of(topic));
    return consumer;
  }
}
