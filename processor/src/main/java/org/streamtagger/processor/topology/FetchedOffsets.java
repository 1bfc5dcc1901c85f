package org.streamtagger.processor.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Remembers, for each partition, the offset of the last record that the stream thread's consumer
 * has handed to Kafka Streams. A batch that holds that record holds everything fetched for its
 * partition, and more can only come with a later poll, which may bring nothing: the processor tags
 * it at once instead of waiting out the quiet time (see {@link TaggingTopology.Batching}).
 *
 * <p>Kafka Streams polls the consumer on the stream thread that then processes the records, and a
 * consumer calls {@link #onConsume} within that poll, so the offsets are kept per thread and need
 * no locking. The offsets only decide when a batch is tagged, never which records it holds: a stale
 * one can only make a batch smaller.
 */
public final class FetchedOffsets implements ConsumerInterceptor<byte[], byte[]> {
  private static final ThreadLocal<Map<TopicPartition, Long>> LAST =
      ThreadLocal.withInitial(HashMap::new);

  @Override
  public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, Long> last = LAST.get();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> fetched = records.records(partition);
      last.put(partition, fetched.get(fetched.size() - 1).offset());
    }
    return records;
  }

  /**
   * Whether the record at {@code offset} is the last one this thread's consumer has fetched from
   * the partition (false when the thread has no consumer with this interceptor).
   */
  static boolean isLastFetched(String topic, int partition, long offset) {
    Long last = LAST.get().get(new TopicPartition(topic, partition));
    return last != null && last == offset;
  }

  /**
   * Adds this interceptor to the main consumer's settings in {@code kafka}, after any the user set
   * for it (under {@code main.consumer.}, {@code consumer.} or no prefix, which Kafka Streams reads
   * in that order), so that it sees the records as Kafka Streams will.
   */
  static void install(Properties kafka) {
    String key = ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG;
    String users = null;
    for (String k :
        List.of(StreamsConfig.mainConsumerPrefix(key), StreamsConfig.consumerPrefix(key), key)) {
      if (kafka.getProperty(k) != null) {
        users = kafka.getProperty(k);
        break;
      }
    }
    List<String> classes = new ArrayList<>();
    if (users != null) {
      for (String c : users.split(",")) {
        if (!c.isBlank() && !c.trim().equals(FetchedOffsets.class.getName())) {
          classes.add(c.trim());
        }
      }
    }
    classes.add(FetchedOffsets.class.getName());
    kafka.setProperty(StreamsConfig.mainConsumerPrefix(key), String.join(",", classes));
  }

  /** Called when the consumer closes, on the thread that closes it: its offsets go with it. */
  @Override
  public void close() {
    LAST.remove();
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
