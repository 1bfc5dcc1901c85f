package org.streamtagger.processor.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.streamtagger.avro.ErrorKind;
import org.streamtagger.avro.Sentence;
import org.streamtagger.avro.TaggedSentence;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.processor.topology.TaggingService;

/**
 * The processor with the bundled model against a real Kafka broker in this JVM: every input format,
 * dead letters, keys and per-key order, and a restart after a clean stop.
 */
@ExtendWith(SharedBroker.class)
class EmbeddedBrokerTest {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker(EmbeddedKafka shared) {
    kafka = shared;
  }

  private static ProcessorConfig config(String app, String prefix) throws Exception {
    return config(app, prefix, Map.of());
  }

  private static ProcessorConfig config(String app, String prefix, Map<String, String> more)
      throws Exception {
    Map<String, String> env = new HashMap<>(more);
    env.put("TAGGER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("TAGGER_APPLICATION_ID", app);
    env.put("TAGGER_INPUT_TOPIC", prefix + "-in");
    env.put("TAGGER_OUTPUT_TOPIC", prefix + "-out");
    env.put("TAGGER_ERROR_TOPIC", prefix + "-err");
    env.put("TAGGER_COMMIT_INTERVAL_MS", "200");
    return ProcessorConfig.load(null, env);
  }

  private static byte[] avro(String id, String text, int seq) {
    return SentenceCodec.encodeAvro(
        new Sentence(id, text, null, "en", new HashMap<>(Map.of("seq", Integer.toString(seq)))));
  }

  @Test
  void everyFormatIsTaggedBadRecordsAreDeadLetteredAndARestartPicksUp() throws Exception {
    ProcessorConfig config = config("it-formats", "formats");
    kafka.createTopics(List.of("formats-in", "formats-out", "formats-err"), 2);
    Map<String, String> expectedKeyOf = new LinkedHashMap<>();
    try (StreamHarness h = new StreamHarness(kafka.bootstrapServers());
        var out = h.consumer("formats-out", "reader-out");
        var err = h.consumer("formats-err", "reader-err")) {
      try (TaggingService service = TaggingService.start(config)) {
        assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
        for (int i = 0; i < 30; i++) {
          String key = "k" + (i % 3);
          h.send("formats-in", key, avro("a" + i, "Sentence number " + i + " is here.", i));
          expectedKeyOf.put("a" + i, key);
        }
        h.send(
            "formats-in",
            "j",
            "{\"id\":\"j1\",\"tokens\":[\"New\",\"York\"]}".getBytes(StandardCharsets.UTF_8));
        expectedKeyOf.put("j1", "j");
        h.send("formats-in", "t", "plain text line".getBytes(StandardCharsets.UTF_8));
        h.send("formats-in", "bad", new byte[] {(byte) 0xC3, 0x01, 9, 9});
        h.send(
            "formats-in", "bad", "{\"id\":\"x\",\"text\":\"\"}".getBytes(StandardCharsets.UTF_8));
        h.send("formats-in", "bad", new byte[] {(byte) 0xFF, (byte) 0xFE});

        List<ConsumerRecord<byte[], byte[]>> tagged =
            StreamHarness.readUntil(out, r -> r.size() >= 32, Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> dead =
            StreamHarness.readUntil(err, r -> r.size() >= 3, Duration.ofSeconds(30));
        assertEquals(32, tagged.size());
        assertEquals(3, dead.size());
        Map<String, List<Integer>> seqsByKey = new HashMap<>();
        for (var r : tagged) {
          TaggedSentence t = SentenceCodec.decodeTagged(r.value());
          String key = new String(r.key(), StandardCharsets.UTF_8);
          if (expectedKeyOf.containsKey(t.getId())) {
            assertEquals(expectedKeyOf.get(t.getId()), key, "key of " + t.getId());
          }
          if (t.getMetadata().containsKey("seq")) {
            seqsByKey
                .computeIfAbsent(key, k -> new ArrayList<>())
                .add(Integer.parseInt(t.getMetadata().get("seq")));
          }
          assertTrue(!t.getTokens().isEmpty());
        }
        seqsByKey.forEach(
            (k, seqs) -> assertEquals(seqs.stream().sorted().toList(), seqs, "order of " + k));
        List<ErrorKind> kinds = new ArrayList<>();
        for (var r : dead) {
          kinds.add(SentenceCodec.decodeError(r.value()).getKind());
        }
        assertEquals(
            List.of(ErrorKind.UNDECODABLE, ErrorKind.INVALID_SENTENCE, ErrorKind.UNDECODABLE),
            kinds);
      }
      // Stopped cleanly; what arrives meanwhile is tagged after the restart, and nothing twice.
      for (int i = 0; i < 10; i++) {
        h.send("formats-in", "later", avro("later" + i, "Arrived while stopped.", i));
      }
      try (TaggingService service = TaggingService.start(config)) {
        List<ConsumerRecord<byte[], byte[]>> more =
            StreamHarness.readUntil(out, r -> r.size() >= 10, Duration.ofSeconds(60));
        List<String> ids = new ArrayList<>();
        for (var r : more) {
          ids.add(SentenceCodec.decodeTagged(r.value()).getId());
        }
        assertEquals(10, ids.size(), "after restart: " + ids);
        assertTrue(ids.stream().allMatch(id -> id.startsWith("later")), ids.toString());
        assertTrue(
            StreamHarness.readUntil(out, r -> false, Duration.ofSeconds(2)).isEmpty(),
            "nothing tagged twice after a clean restart");
      }
    }
  }

  @Test
  void aCleanStopTagsTheRecordsWaitingForTheirBatch() throws Exception {
    // Batches that would wait a minute: only the stop's draining can emit these records.
    ProcessorConfig config =
        config(
            "it-drain",
            "drain",
            Map.of(
                "TAGGER_BATCH_MAX_WAIT_MS", "60000",
                "TAGGER_BATCH_QUIET_MS", "60000",
                "TAGGER_BATCH_QUIET_WHEN_FETCHED", "false"));
    kafka.createTopics(List.of("drain-in", "drain-out", "drain-err"), 2);
    try (StreamHarness h = new StreamHarness(kafka.bootstrapServers());
        var out = h.consumer("drain-out", "reader-drain")) {
      try (TaggingService service = TaggingService.start(config)) {
        assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
        for (int i = 0; i < 5; i++) {
          h.send("drain-in", "k" + i, avro("d" + i, "Waiting for a full batch.", i));
        }
        awaitCommitted("it-drain", 5, Duration.ofSeconds(30));
        assertTrue(
            StreamHarness.readUntil(out, r -> false, Duration.ofMillis(500)).isEmpty(),
            "consumed and committed, but still waiting in the batch buffer");
      }
      List<ConsumerRecord<byte[], byte[]>> tagged =
          StreamHarness.readUntil(out, r -> r.size() >= 5, Duration.ofSeconds(10));
      List<String> ids = new ArrayList<>();
      for (var r : tagged) {
        ids.add(SentenceCodec.decodeTagged(r.value()).getId());
      }
      assertEquals(List.of("d0", "d1", "d2", "d3", "d4"), ids.stream().sorted().toList());
    }
  }

  @Test
  void aBatchHoldingEverythingFetchedDoesNotWaitForTheQuiet() throws Exception {
    // Batches that would wait a minute for company, but the consumer has fetched all there is.
    ProcessorConfig config =
        config(
            "it-fetched",
            "fetched",
            Map.of("TAGGER_BATCH_MAX_WAIT_MS", "60000", "TAGGER_BATCH_QUIET_MS", "60000"));
    kafka.createTopics(List.of("fetched-in", "fetched-out", "fetched-err"), 2);
    try (StreamHarness h = new StreamHarness(kafka.bootstrapServers());
        var out = h.consumer("fetched-out", "reader-fetched");
        TaggingService service = TaggingService.start(config)) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      for (int i = 0; i < 5; i++) {
        h.send("fetched-in", "k" + i, avro("f" + i, "Tagged without waiting.", i));
      }
      List<ConsumerRecord<byte[], byte[]>> tagged =
          StreamHarness.readUntil(out, r -> r.size() >= 5, Duration.ofSeconds(30));
      assertEquals(5, tagged.size(), "tagged long before the batches' minute");
    }
  }

  /** Waits until the application's committed offsets add up to {@code records}. */
  private static void awaitCommitted(String app, long records, Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    try (var admin = kafka.admin()) {
      while (true) {
        long committed =
            admin
                .listConsumerGroupOffsets(app)
                .partitionsToOffsetAndMetadata()
                .get()
                .values()
                .stream()
                .mapToLong(o -> o == null ? 0 : o.offset())
                .sum();
        if (committed >= records) {
          return;
        }
        assertTrue(System.nanoTime() < deadline, "committed " + committed + " of " + records);
        Thread.sleep(100);
      }
    }
  }
}
