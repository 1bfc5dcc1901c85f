package org.streamtagger.processor.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.streamtagger.avro.Sentence;
import org.streamtagger.avro.TaggingError;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.serde.RawAvro;
import org.streamtagger.processor.serde.RecordFormat;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.processor.topology.TaggingService;
import org.streamtagger.tagging.inference.ModelInfo;
import org.streamtagger.tagging.inference.SentenceTagger;
import org.streamtagger.tagging.inference.Tagging;

/**
 * Records that once stopped the stream for good (the stream thread died on each, and its
 * replacement read the same record again), sent to a running processor with the bundled model on a
 * real broker, with either output format: each ends tagged or as a dead letter with its kind, and a
 * normal sentence sent after each is tagged. Among them a value at the broker's size limit, whose
 * dead letter is cut to fit.
 */
@ExtendWith(SharedBroker.class)
class PoisonRecordTest {
  /** The largest value the broker takes (message.max.bytes 1048588, less the batch overhead). */
  private static final int AT_THE_BROKERS_LIMIT = 1_048_450;

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker(EmbeddedKafka shared) {
    kafka = shared;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Each poison record and what must come of it: TAGGED, or the dead letter's kind. */
  private static Map<String, Poison> poisons() {
    Map<String, Poison> p = new LinkedHashMap<>();
    p.put("8 KB number of '1.'", new Poison(utf8("1.".repeat(4_000)), "TAGGED"));
    p.put("6 KB e-mail-like token", new Poison(utf8("a@b" + ".c".repeat(3_000)), "TAGGED"));
    p.put(
        "Avro array count of 2^31-1",
        new Poison(
            new RawAvro().string("x").varint(0).varint(1).varint(Integer.MAX_VALUE).done(),
            "UNDECODABLE"));
    byte[] huge = new byte[AT_THE_BROKERS_LIMIT];
    java.util.Arrays.fill(huge, (byte) 'w');
    p.put("value at the broker's limit", new Poison(huge, "TOO_LARGE"));
    p.put(
        "1 MB JSON tokens array",
        new Poison(
            utf8("{\"id\":\"arr\",\"tokens\":[" + "\"w\",".repeat(200_000) + "\"w\"]}"),
            "TOO_LARGE"));
    p.put("5,000 words of text", new Poison(utf8("word ".repeat(5_000)), "TOO_LARGE"));
    p.put(
        "JSON behind a byte order mark",
        new Poison(utf8("\uFEFF{\"id\":\"bom\",\"text\":\"Hi there\"}"), "TAGGED"));
    p.put("only no-break spaces", new Poison(utf8("\u00A0\u2007\u202F"), "INVALID_SENTENCE"));
    p.put(
        "Avro text that is not UTF-8",
        new Poison(
            RawAvro.text("nu", new byte[] {'o', 'k', (byte) 0xFF, (byte) 0xFE}), "UNDECODABLE"));
    p.put("JSON \"text\": 42", new Poison(utf8("{\"id\":\"n\",\"text\":42}"), "INVALID_SENTENCE"));
    p.put(
        "JSON \"id\": null", new Poison(utf8("{\"id\":null,\"text\":\"x\"}"), "INVALID_SENTENCE"));
    // Not a JSON object, so auto-detection takes it as text (tagger.input.format=json refuses it).
    p.put(
        "JSON with trailing garbage",
        new Poison(utf8("{\"id\":\"t\",\"text\":\"x\"} junk"), "TAGGED"));
    byte[] good = SentenceCodec.encodeAvro(new Sentence("g", "Fine", null, null, new HashMap<>()));
    p.put(
        "Avro with trailing bytes",
        new Poison(java.util.Arrays.copyOf(good, good.length + 2), "UNDECODABLE"));
    return p;
  }

  private record Poison(byte[] value, String outcome) {}

  @ParameterizedTest
  @EnumSource(
      value = RecordFormat.class,
      names = {"AVRO", "JSON"})
  void noRecordStopsTheStream(RecordFormat output) throws Exception {
    String prefix = "poison-" + output.name().toLowerCase();
    kafka.createTopics(List.of(prefix + "-in", prefix + "-out", prefix + "-err"), 1);
    Map<String, String> env = new HashMap<>();
    env.put("TAGGER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("TAGGER_APPLICATION_ID", prefix);
    env.put("TAGGER_INPUT_TOPIC", prefix + "-in");
    env.put("TAGGER_OUTPUT_TOPIC", prefix + "-out");
    env.put("TAGGER_ERROR_TOPIC", prefix + "-err");
    env.put("TAGGER_OUTPUT_FORMAT", output.name().toLowerCase());
    env.put("TAGGER_COMMIT_INTERVAL_MS", "200");
    Map<String, Poison> poisons = poisons();
    try (StreamHarness h =
            new StreamHarness(
                kafka.bootstrapServers(), Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 << 20));
        var out = h.consumer(prefix + "-out", "reader-out");
        var err = h.consumer(prefix + "-err", "reader-err");
        TaggingService service = TaggingService.start(ProcessorConfig.load(null, env))) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      int i = 0;
      for (Poison p : poisons.values()) {
        h.send(prefix + "-in", 0, "poison-" + i, p.value());
        h.send(
            prefix + "-in",
            0,
            "after-" + i,
            utf8("{\"id\":\"after-" + i + "\",\"text\":\"A normal sentence.\"}"));
        i++;
      }
      long tagged = poisons.values().stream().filter(p -> p.outcome().equals("TAGGED")).count();
      int dead = poisons.size() - (int) tagged;
      List<ConsumerRecord<byte[], byte[]>> outs =
          StreamHarness.readUntil(
              out, r -> r.size() >= poisons.size() + tagged, Duration.ofSeconds(90));
      List<ConsumerRecord<byte[], byte[]>> errs =
          StreamHarness.readUntil(err, r -> r.size() >= dead, Duration.ofSeconds(30));

      Map<String, String> outcome = new HashMap<>();
      for (var r : outs) {
        outcome.put(new String(r.key(), StandardCharsets.UTF_8), "TAGGED");
        assertTrue(r.serializedValueSize() + r.serializedKeySize() <= 1_048_576);
      }
      Map<String, String> reasons = new HashMap<>();
      for (var r : errs) {
        DeadLetter d = DeadLetter.of(r.value(), output);
        outcome.put(new String(r.key(), StandardCharsets.UTF_8), d.kind());
        reasons.put(new String(r.key(), StandardCharsets.UTF_8), d.describe());
        assertTrue(
            r.serializedValueSize() + r.serializedKeySize() <= 1_048_576, "the dead letter fits");
      }
      i = 0;
      for (var e : poisons.entrySet()) {
        String key = "poison-" + i;
        System.out.printf(
            "poison (%s output) %-32s -> %s%n",
            output.name().toLowerCase(),
            e.getKey(),
            outcome.getOrDefault(key, "nothing")
                + (reasons.containsKey(key) ? ": " + reasons.get(key) : ""));
        assertEquals(e.getValue().outcome(), outcome.get(key), e.getKey());
        assertEquals("TAGGED", outcome.get("after-" + i), "the sentence after " + e.getKey());
        i++;
      }
      assertEquals(poisons.size() + tagged, outs.size());
      assertEquals(dead, errs.size());
    }
  }

  @Test
  void anErrorOfTheMachineStopsTheProcessorInsteadOfLimping() throws Exception {
    kafka.createTopics(List.of("oom-in", "oom-out", "oom-err"), 1);
    Map<String, String> env = new HashMap<>();
    env.put("TAGGER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("TAGGER_APPLICATION_ID", "oom");
    env.put("TAGGER_INPUT_TOPIC", "oom-in");
    env.put("TAGGER_OUTPUT_TOPIC", "oom-out");
    env.put("TAGGER_ERROR_TOPIC", "oom-err");
    SentenceTagger outOfMemory =
        new SentenceTagger() {
          @Override
          public List<Tagging> tag(List<List<String>> sentences) {
            throw new OutOfMemoryError("Java heap space");
          }

          @Override
          public ModelInfo model() {
            return new ModelInfo("oom", "1", "UPOS", List.of("X"), 32, Map.of());
          }
        };
    try (StreamHarness h = new StreamHarness(kafka.bootstrapServers());
        TaggingService service =
            TaggingService.start(ProcessorConfig.load(null, env), outOfMemory, null)) {
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      assertEquals(null, service.failure());
      h.send("oom-in", "k", utf8("A sentence the model cannot take."));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (service.failure() == null && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(service.failure() instanceof OutOfMemoryError, "failure: " + service.failure());
      assertEquals(KafkaStreams.State.ERROR, service.streams().state());
    }
  }

  /** A dead letter read back from either output format. */
  private record DeadLetter(
      String kind, String reason, boolean truncated, Integer valueSize, int kept) {
    static DeadLetter of(byte[] value, RecordFormat format) throws Exception {
      if (format == RecordFormat.AVRO) {
        TaggingError e = SentenceCodec.decodeError(value);
        return new DeadLetter(
            e.getKind().name(),
            e.getReason(),
            e.getTruncated(),
            e.getValueSize(),
            e.getValue() == null ? 0 : e.getValue().remaining());
      }
      JsonNode e = new ObjectMapper().readTree(value);
      JsonNode v = e.get("value_base64");
      return new DeadLetter(
          e.get("kind").asText(),
          e.get("reason").asText(),
          e.get("truncated").asBoolean(),
          e.get("value_size").isNull() ? null : e.get("value_size").asInt(),
          v.isNull() ? 0 : java.util.Base64.getDecoder().decode(v.asText()).length);
    }

    String describe() {
      String r = reason.length() > 90 ? reason.substring(0, 90) + "..." : reason;
      return r + (truncated ? " [value cut to " + kept + " of " + valueSize + " bytes]" : "");
    }
  }
}
