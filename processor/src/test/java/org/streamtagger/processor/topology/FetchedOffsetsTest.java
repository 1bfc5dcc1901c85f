package org.streamtagger.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FetchedOffsetsTest {
  private static final String TOPIC = "sentences";
  private static final String KEY = "main.consumer.interceptor.classes";
  private static final String OURS = FetchedOffsets.class.getName();

  private final FetchedOffsets interceptor = new FetchedOffsets();

  @AfterEach
  void forget() {
    interceptor.close();
  }

  /** One poll's records: for each partition, the offsets from..to. */
  private static ConsumerRecords<byte[], byte[]> poll(int[]... partitionFromTo) {
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (int[] p : partitionFromTo) {
      TopicPartition tp = new TopicPartition(TOPIC, p[0]);
      List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
      for (long o = p[1]; o <= p[2]; o++) {
        list.add(new ConsumerRecord<>(TOPIC, p[0], o, new byte[0], new byte[0]));
      }
      records.put(tp, list);
      next.put(tp, new OffsetAndMetadata(p[2] + 1));
    }
    return new ConsumerRecords<>(records, next);
  }

  @Test
  void eachPartitionsLastFetchedOffsetIsKnownUntilTheNextPollBringsMore() {
    ConsumerRecords<byte[], byte[]> first = poll(new int[] {0, 5, 7}, new int[] {1, 3, 3});
    assertEquals(first, interceptor.onConsume(first), "the records go on unchanged");
    assertTrue(FetchedOffsets.isLastFetched(TOPIC, 0, 7));
    assertFalse(FetchedOffsets.isLastFetched(TOPIC, 0, 6));
    assertTrue(FetchedOffsets.isLastFetched(TOPIC, 1, 3));
    assertFalse(FetchedOffsets.isLastFetched(TOPIC, 2, 0), "a partition never fetched");
    assertFalse(FetchedOffsets.isLastFetched("other", 0, 7));

    interceptor.onConsume(poll(new int[] {0, 8, 9}));
    assertFalse(FetchedOffsets.isLastFetched(TOPIC, 0, 7));
    assertTrue(FetchedOffsets.isLastFetched(TOPIC, 0, 9));
    assertTrue(FetchedOffsets.isLastFetched(TOPIC, 1, 3), "not in this poll: still its last");
  }

  @Test
  void theOffsetsBelongToThePollingThreadAndCloseForgetsThem() throws Exception {
    interceptor.onConsume(poll(new int[] {0, 0, 4}));
    AtomicBoolean elsewhere = new AtomicBoolean(true);
    Thread other = new Thread(() -> elsewhere.set(FetchedOffsets.isLastFetched(TOPIC, 0, 4)));
    other.start();
    other.join();
    assertFalse(elsewhere.get(), "another stream thread has its own consumer");
    assertTrue(FetchedOffsets.isLastFetched(TOPIC, 0, 4));
    interceptor.close();
    assertFalse(FetchedOffsets.isLastFetched(TOPIC, 0, 4));
  }

  @Test
  void installingKeepsTheUsersInterceptorsForTheMainConsumer() {
    Properties none = new Properties();
    FetchedOffsets.install(none);
    assertEquals(OURS, none.getProperty(KEY));

    Properties plain = new Properties();
    plain.setProperty("interceptor.classes", "com.example.A, com.example.B");
    FetchedOffsets.install(plain);
    assertEquals("com.example.A,com.example.B," + OURS, plain.getProperty(KEY));

    // Kafka Streams reads main.consumer. before consumer. before no prefix.
    Properties prefixed = new Properties();
    prefixed.setProperty("interceptor.classes", "com.example.Plain");
    prefixed.setProperty("consumer.interceptor.classes", "com.example.Consumer");
    FetchedOffsets.install(prefixed);
    assertEquals("com.example.Consumer," + OURS, prefixed.getProperty(KEY));
    prefixed.setProperty(KEY, "com.example.Main");
    FetchedOffsets.install(prefixed);
    assertEquals("com.example.Main," + OURS, prefixed.getProperty(KEY));

    FetchedOffsets.install(prefixed);
    assertEquals("com.example.Main," + OURS, prefixed.getProperty(KEY), "installed once");
  }
}
