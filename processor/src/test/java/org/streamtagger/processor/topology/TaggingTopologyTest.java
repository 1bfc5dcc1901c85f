package org.streamtagger.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.streamtagger.avro.ErrorKind;
import org.streamtagger.avro.Sentence;
import org.streamtagger.avro.TaggedSentence;
import org.streamtagger.avro.TaggingError;
import org.streamtagger.processor.serde.RecordFormat;
import org.streamtagger.processor.serde.SentenceCodec;

class TaggingTopologyTest {
  private static final TaggingTopology.Topics TOPICS = TaggingTopology.Topics.defaults();

  private final FakeTagger tagger = new FakeTagger();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> input;
  private TestOutputTopic<byte[], byte[]> output;
  private TestOutputTopic<byte[], byte[]> errors;

  private final Draining draining = new Draining();

  /** As long as the batches' wait unless a test needs a quiet input noticed sooner. */
  private long quietMs = 100;

  /** On, as by default; it only acts on offsets a test says were fetched ({@link #fetched}). */
  private boolean quietWhenFetched = true;

  private RecordLimits limits = RecordLimits.withKafkaDefaults(100_000, 2_000);

  private RecordFormat outputFormat = RecordFormat.AVRO;

  /** Stands in for the stream thread's consumer: the driver processes on the test's thread. */
  private final FetchedOffsets fetchedOffsets = new FetchedOffsets();

  private void start(RecordFormat format, int batch) {
    SentenceCodec codec = new SentenceCodec(format, outputFormat, List.of());
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    driver =
        new TopologyTestDriver(
            TaggingTopology.build(
                TOPICS,
                tagger,
                codec,
                limits,
                new Batching(batch, 100, quietMs, quietWhenFetched),
                draining),
            p);
    input =
        driver.createInputTopic(
            TOPICS.input(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    output =
        driver.createOutputTopic(
            TOPICS.output(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    errors =
        driver.createOutputTopic(
            TOPICS.deadLetters(),
            Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
    fetchedOffsets.close();
  }

  /** As if the consumer had just fetched the input's partition 0 up to {@code lastOffset}. */
  private void fetched(long lastOffset) {
    TopicPartition p = new TopicPartition(TOPICS.input(), 0);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (long o = 0; o <= lastOffset; o++) {
      records.add(new ConsumerRecord<>(p.topic(), 0, o, new byte[0], new byte[0]));
    }
    fetchedOffsets.onConsume(
        new ConsumerRecords<>(
            Map.of(p, records), Map.of(p, new OffsetAndMetadata(lastOffset + 1))));
  }

  private static byte[] key(String k) {
    return k.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] avroText(String id, String text) {
    return SentenceCodec.encodeAvro(new Sentence(id, text, null, null, new HashMap<>()));
  }

  private static TaggedSentence tagged(TestRecord<byte[], byte[]> r) throws Exception {
    return SentenceCodec.decodeTagged(r.value());
  }

  @Test
  void recordsAreTaggedInBatchesKeepingKeysAndOrder() throws Exception {
    start(RecordFormat.AVRO, 3);
    input.pipeInput(key("k1"), avroText("s1", "The dog barks."));
    input.pipeInput(key("k2"), avroText("s2", "Hi there"));
    assertTrue(output.isEmpty(), "a batch waits until it is full");
    input.pipeInput(key("k1"), avroText("s3", "Again"));
    List<TestRecord<byte[], byte[]>> out = output.readRecordsToList();
    assertEquals(3, out.size());
    assertEquals(1, tagger.calls, "one model call for the batch");
    assertEquals(List.of("k1", "k2", "k1"), out.stream().map(r -> new String(r.key())).toList());
    TaggedSentence first = tagged(out.get(0));
    assertEquals("s1", first.getId());
    assertEquals(
        List.of("The", "dog", "barks", "."),
        first.getTokens().stream().map(t -> t.getWord()).toList());
    assertEquals(
        List.of("CAP", "LOW", "LOW", "LOW"),
        first.getTokens().stream().map(t -> t.getTag()).toList());
    assertEquals(4, first.getTokens().get(1).getStart());
    assertEquals(7, first.getTokens().get(1).getEnd());
    assertEquals("fake:1", first.getModel());
    assertEquals(3, first.getBatchSize());
    assertTrue(errors.isEmpty());
    assertTrue(output.isEmpty());
  }

  @Test
  void aPartialBatchIsTaggedWhenItsTimeIsUp() throws Exception {
    start(RecordFormat.AVRO, 64);
    input.pipeInput(key("k"), avroText("s1", "Alone here"));
    assertTrue(output.isEmpty());
    driver.advanceWallClockTime(Duration.ofMillis(150));
    assertEquals("s1", tagged(output.readRecord()).getId());
    assertTrue(output.isEmpty());
  }

  @Test
  void aBatchIsTaggedAsSoonAsTheInputGoesQuiet() throws Exception {
    quietMs = 2;
    start(RecordFormat.AVRO, 64);
    input.pipeInput(key("k"), avroText("s1", "First here"));
    driver.advanceWallClockTime(Duration.ofMillis(1));
    input.pipeInput(key("k"), avroText("s2", "Second here"));
    driver.advanceWallClockTime(Duration.ofMillis(1));
    assertTrue(output.isEmpty(), "a record joined 1 ms ago: the input is not quiet yet");
    driver.advanceWallClockTime(Duration.ofMillis(2));
    List<TestRecord<byte[], byte[]>> out = output.readRecordsToList();
    assertEquals(2, out.size());
    assertEquals("s1", tagged(out.get(0)).getId());
    assertEquals("s2", tagged(out.get(1)).getId());
    assertEquals(2, tagged(out.get(0)).getBatchSize(), "long before the batch's 100 ms");
    assertEquals(1, tagger.calls);
  }

  @Test
  void aBatchHoldingTheLastFetchedRecordIsTaggedWithoutWaitingForTheQuiet() throws Exception {
    start(RecordFormat.AVRO, 64);
    fetched(2);
    input.pipeInput(key("k"), avroText("s1", "First here")); // offset 0
    input.pipeInput(key("k"), avroText("s2", "Second here"));
    assertTrue(output.isEmpty(), "the third fetched record has yet to join");
    input.pipeInput(key("k"), avroText("s3", "Third here")); // the last one fetched
    List<TestRecord<byte[], byte[]>> out = output.readRecordsToList();
    assertEquals(List.of("s1", "s2", "s3"), out.stream().map(r -> id(r)).toList());
    assertEquals(3, tagged(out.get(0)).getBatchSize());
    // A bad record can be the last one fetched too: the batch before it goes at once.
    fetched(5);
    input.pipeInput(key("k"), avroText("s4", "Fourth here"));
    input.pipeInput(key("k"), avroText("s5", "Fifth here"));
    input.pipeInput(key("k"), "garbage".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("s4", "s5"), output.readRecordsToList().stream().map(r -> id(r)).toList());
    assertEquals(1, errors.readRecordsToList().size());
    // Past the last fetched offset, the quiet rule (here 100 ms) applies again.
    input.pipeInput(key("k"), avroText("s7", "Not fetched as far as we know"));
    driver.advanceWallClockTime(Duration.ofMillis(50));
    assertTrue(output.isEmpty());
    driver.advanceWallClockTime(Duration.ofMillis(50));
    assertEquals("s7", id(output.readRecord()));
  }

  @Test
  void withTheFetchedRuleOffABatchWaitsForTheQuiet() throws Exception {
    quietWhenFetched = false;
    start(RecordFormat.AVRO, 64);
    fetched(1);
    input.pipeInput(key("k"), avroText("s1", "First here"));
    input.pipeInput(key("k"), avroText("s2", "The last one fetched"));
    driver.advanceWallClockTime(Duration.ofMillis(50));
    assertTrue(output.isEmpty(), "the input is quiet only after 100 ms");
    driver.advanceWallClockTime(Duration.ofMillis(50));
    assertEquals(2, output.readRecordsToList().size());
  }

  private static String id(TestRecord<byte[], byte[]> r) {
    try {
      return tagged(r).getId();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aStopTagsWhatWaitsAndThenEveryRecordAtOnce() throws Exception {
    start(RecordFormat.AVRO, 64);
    input.pipeInput(key("k"), avroText("s1", "Waiting here"));
    assertTrue(output.isEmpty());
    assertEquals(1, draining.waiting());
    driver.advanceWallClockTime(Duration.ofMillis(10));
    assertTrue(output.isEmpty(), "the batch's 100 ms are not up");
    draining.request();
    driver.advanceWallClockTime(Duration.ofMillis(5)); // the next tick
    assertEquals("s1", tagged(output.readRecord()).getId());
    input.pipeInput(key("k"), avroText("s2", "Right away"));
    assertEquals("s2", tagged(output.readRecord()).getId());
    assertEquals(0, draining.waiting());
  }

  @Test
  void jsonTextAndTokensAndPlainTextAreAccepted() throws Exception {
    start(RecordFormat.AUTO, 1);
    input.pipeInput(
        key("a"),
        "{\"id\":\"j1\",\"tokens\":[\"New\",\"York\"],\"metadata\":{\"m\":\"v\"}}"
            .getBytes(StandardCharsets.UTF_8));
    input.pipeInput(
        key("b"), "{\"id\":\"j2\",\"text\":\"I don't know\"}".getBytes(StandardCharsets.UTF_8));
    input.pipeInput(key("c"), "plain words".getBytes(StandardCharsets.UTF_8));
    List<TestRecord<byte[], byte[]>> out = output.readRecordsToList();
    assertEquals(3, out.size());
    TaggedSentence tokens = tagged(out.get(0));
    assertEquals(List.of("CAP", "CAP"), tokens.getTokens().stream().map(t -> t.getTag()).toList());
    assertNull(tokens.getTokens().get(0).getStart());
    assertEquals("v", tokens.getMetadata().get("m"));
    assertEquals(
        List.of("I", "do", "n't", "know"),
        tagged(out.get(1)).getTokens().stream().map(t -> t.getWord()).toList());
    assertEquals("sentences-0-2", tagged(out.get(2)).getId());
    assertTrue(errors.isEmpty());
  }

  @Test
  void metricsCountWhatWasTaggedAndTheTimeInModelCalls() throws Exception {
    tagger.callMillis = 20;
    start(RecordFormat.AVRO, 2);
    input.pipeInput(key("k"), avroText("s1", "The dog barks."));
    input.pipeInput(key("k"), avroText("s2", "Hi there"));
    input.pipeInput(key("k"), new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
    input.pipeInput(key("k"), avroText("s3", "Again"));
    input.pipeInput(key("k"), avroText("s4", "Once more, with feeling"));
    int tokens = 0;
    for (TestRecord<byte[], byte[]> r : output.readRecordsToList()) {
      tokens += tagged(r).getTokens().size();
    }
    Map<String, Double> m = taggingMetrics();
    assertEquals(4, m.get("sentences-tagged-total"));
    assertEquals(tokens, m.get("tokens-tagged-total"));
    assertEquals(1, m.get("dead-letters-total"));
    assertEquals(2, m.get("batch-size-avg"));
    assertEquals(2, m.get("batch-size-max"));
    assertTrue(m.get("inference-latency-avg-us") >= 20_000, m.toString());
    assertTrue(m.get("model-time-total-us") >= 2 * 20_000, m.toString());
    double busy = m.get("model-busy-ratio");
    assertTrue(busy > 0 && busy <= 1, "busy ratio " + busy);
  }

  /** The values of group stream-tagging-metrics by name (one task here). */
  private Map<String, Double> taggingMetrics() {
    Map<String, Double> values = new HashMap<>();
    driver
        .metrics()
        .forEach(
            (name, metric) -> {
              if (name.group().equals("stream-tagging-metrics")) {
                values.put(name.name(), ((Number) metric.metricValue()).doubleValue());
              }
            });
    return values;
  }

  @Test
  void badRecordsBecomeDeadLettersAndTheStreamGoesOn() throws Exception {
    start(RecordFormat.AUTO, 1);
    Schema other =
        SchemaBuilder.record("Other").namespace("x").fields().requiredString("q").endRecord();
    GenericRecord rec = new GenericData.Record(other);
    rec.put("q", "?");
    byte[] unknownSchema =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), other).encode(rec).array();
    byte[] good = avroText("ok", "Fine");
    byte[] truncated = java.util.Arrays.copyOf(avroText("t", "a sentence that gets cut"), 14);
    List<byte[]> bad =
        List.of(
            new byte[] {(byte) 0xC3, 0x01, 1, 2, 3},
            truncated,
            unknownSchema,
            "{\"id\":\"x\",\"text\":null}".getBytes(StandardCharsets.UTF_8),
            "   ".getBytes(StandardCharsets.UTF_8),
            "x".repeat(1_000_000).getBytes(StandardCharsets.UTF_8),
            ("{\"id\":\"big\",\"tokens\":[" + "\"w\",".repeat(4_999) + "\"w\"]}")
                .getBytes(StandardCharsets.UTF_8),
            new byte[] {'o', 'k', (byte) 0xFF, (byte) 0xFE},
            "{\"id\":\"b\",\"text\":\"boom\"}".getBytes(StandardCharsets.UTF_8),
            "\u00A0\u2007\u202F".getBytes(StandardCharsets.UTF_8),
            "word ".repeat(5_000).getBytes(StandardCharsets.UTF_8),
            "{\"id\":\"o\",\"text\":\"a stack overflow\"}".getBytes(StandardCharsets.UTF_8));
    for (byte[] b : bad) {
      input.pipeInput(key("bad"), b);
    }
    input.pipeInput(key("good"), good);
    List<TaggingError> dead = new ArrayList<>();
    for (TestRecord<byte[], byte[]> r : errors.readRecordsToList()) {
      dead.add(SentenceCodec.decodeError(r.value()));
    }
    assertEquals(
        List.of(
            ErrorKind.UNDECODABLE,
            ErrorKind.UNDECODABLE,
            ErrorKind.UNKNOWN_SCHEMA,
            ErrorKind.INVALID_SENTENCE,
            ErrorKind.INVALID_SENTENCE,
            ErrorKind.TOO_LARGE,
            ErrorKind.TOO_LARGE,
            ErrorKind.UNDECODABLE,
            ErrorKind.TAGGING_FAILED,
            ErrorKind.INVALID_SENTENCE,
            ErrorKind.TOO_LARGE,
            ErrorKind.TAGGING_FAILED),
        dead.stream().map(TaggingError::getKind).toList());
    for (int i = 0; i < dead.size(); i++) {
      assertEquals(TOPICS.input(), dead.get(i).getTopic());
      assertEquals(i, dead.get(i).getOffset());
      assertTrue(dead.get(i).getReason().length() > 5, dead.get(i).getReason());
    }
    assertEquals("b", dead.get(8).getSentenceId());
    assertEquals("java.lang.StackOverflowError", dead.get(11).getReason());
    assertEquals("ok", tagged(output.readRecord()).getId());
    assertTrue(output.isEmpty());
  }

  @Test
  void headersPassToTheTaggedRecordAndTheDeadLetterWhichAlsoHasKafkaStreamsDeadLetterHeaders()
      throws Exception {
    start(RecordFormat.AUTO, 1);
    RecordHeaders trace = new RecordHeaders();
    trace.add("trace-id", "abc-123".getBytes(StandardCharsets.UTF_8));
    input.pipeInput(new TestRecord<>(key("k"), avroText("s1", "Hello there"), trace));
    input.pipeInput(
        new TestRecord<>(
            key("k"), "{\"id\":\"n\",\"text\":42}".getBytes(StandardCharsets.UTF_8), trace));
    TestRecord<byte[], byte[]> tagged = output.readRecord();
    assertEquals("abc-123", header(tagged, "trace-id"));
    TestRecord<byte[], byte[]> dead = errors.readRecord();
    assertEquals("abc-123", header(dead, "trace-id"));
    assertEquals(
        "org.streamtagger.avro.ErrorKind.INVALID_SENTENCE",
        header(dead, "__streams.errors.exception"));
    assertEquals(
        "JSON sentence: \"text\" must be a string, found the number 42",
        header(dead, "__streams.errors.message"));
    assertEquals(TOPICS.input(), header(dead, "__streams.errors.topic"));
    assertEquals("0", header(dead, "__streams.errors.partition"));
    assertEquals("1", header(dead, "__streams.errors.offset"));
    assertEquals("n", SentenceCodec.decodeError(dead.value()).getSentenceId(), "the id it had");
    // A failure that was thrown names its class and has its stack trace.
    input.pipeInput(
        new TestRecord<>(
            key("k"), "{\"id\":\"b\",\"text\":\"boom\"}".getBytes(StandardCharsets.UTF_8), trace));
    dead = errors.readRecord();
    assertEquals("java.lang.IllegalStateException", header(dead, "__streams.errors.exception"));
    assertTrue(header(dead, "__streams.errors.stacktrace").contains("FakeTagger.tag"));
  }

  private static String header(TestRecord<byte[], byte[]> r, String key) {
    var h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
