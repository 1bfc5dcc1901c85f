package org.streamtagger.processor.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamtagger.avro.ErrorKind;
import org.streamtagger.avro.Sentence;
import org.streamtagger.avro.TaggingError;
import org.streamtagger.processor.serde.RecordFormat;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.tagging.inference.ModelInfo;
import org.streamtagger.tagging.inference.SentenceTagger;
import org.streamtagger.tagging.inference.Tagging;

class RecordTaggerTest {
  private final FakeTagger fake = new FakeTagger();
  private long offset;

  private RecordTagger tagger(RecordFormat output, RecordLimits limits) {
    return new RecordTagger(fake, new SentenceCodec(RecordFormat.AUTO, output, List.of()), limits);
  }

  private RecordTagger tagger() {
    return tagger(RecordFormat.AVRO, RecordLimits.withKafkaDefaults(65_536, 1_000));
  }

  private BufferedRecord record(byte[] key, byte[] value) {
    return new BufferedRecord(key, value, "in", 0, offset++, 1_000L);
  }

  private BufferedRecord text(String id, String text) {
    return record(
        "k".getBytes(StandardCharsets.UTF_8),
        SentenceCodec.encodeAvro(new Sentence(id, text, null, null, new HashMap<>())));
  }

  private static TaggingError deadLetter(RecordTagger.Prepared p) throws Exception {
    RecordTagger.Output out = (RecordTagger.Output) p;
    assertTrue(out.deadLetter(), "a dead letter");
    return SentenceCodec.decodeError(out.value());
  }

  @Test
  void aTextWithMoreWordsThanTheLimitIsTooLargeBeforeTheModelSeesIt() throws Exception {
    TaggingError e = deadLetter(tagger().prepare(text("long", "word ".repeat(5_000))));
    assertEquals(ErrorKind.TOO_LARGE, e.getKind());
    assertEquals("text has 5000 words to tag, limit 1000", e.getReason());
    assertEquals("long", e.getSentenceId());
    // Contractions count as the words the model tags: 600 "don't" are 1,200 words.
    e = deadLetter(tagger().prepare(text("c", "don't ".repeat(600))));
    assertEquals("text has 1200 words to tag, limit 1000", e.getReason());
    assertTrue(tagger().prepare(text("ok", "word ".repeat(1_000))) instanceof RecordTagger.Ready);
    assertEquals(0, fake.calls);
  }

  @Test
  void aTextOfOnlyUnicodeSpacesIsAnInvalidSentence() throws Exception {
    TaggingError e = deadLetter(tagger().prepare(text("sp", "\u00A0\u2007\u202F \u3000")));
    assertEquals(ErrorKind.INVALID_SENTENCE, e.getKind());
    assertEquals("text has no tokens: it is only white space", e.getReason());
    assertEquals("sp", e.getSentenceId());
  }

  @Test
  void theKeyCountsTowardsTheRecordSizeLimit() throws Exception {
    RecordTagger small = tagger(RecordFormat.AVRO, RecordLimits.withKafkaDefaults(1_000, 1_000));
    byte[] value = SentenceCodec.encodeAvro(new Sentence("s", "Hi", null, null, new HashMap<>()));
    TaggingError e = deadLetter(small.prepare(record(new byte[990], value)));
    assertEquals(ErrorKind.TOO_LARGE, e.getKind());
    assertTrue(e.getReason().startsWith("record of " + (990 + value.length) + " bytes (key 990"));
  }

  @Test
  void aSentenceThatBreaksTheModelIsDeadLetteredAloneEvenForAStackOverflow() throws Exception {
    RecordTagger t = tagger();
    List<RecordTagger.Ready> batch = new java.util.ArrayList<>();
    for (String s : List.of("First one", "it will overflow here", "Third one", "boom again")) {
      batch.add((RecordTagger.Ready) t.prepare(text(s, s)));
    }
    List<RecordTagger.Output> out = t.tag(batch).outputs();
    assertEquals(4, out.size());
    assertFalse(out.get(0).deadLetter());
    assertFalse(out.get(2).deadLetter());
    TaggingError overflow = deadLetter(out.get(1));
    assertEquals(ErrorKind.TAGGING_FAILED, overflow.getKind());
    assertEquals("java.lang.StackOverflowError", overflow.getReason());
    assertEquals("it will overflow here", overflow.getSentenceId());
    assertEquals(
        "java.lang.IllegalStateException: the model failed on 'boom'",
        deadLetter(out.get(3)).getReason());
    assertEquals(1 + 4, fake.calls, "the batch, then one call per sentence");
  }

  @Test
  void errorsOfTheMachineItselfAreNotARecordsFault() {
    SentenceTagger outOfMemory =
        new SentenceTagger() {
          @Override
          public List<Tagging> tag(List<List<String>> sentences) {
            throw new OutOfMemoryError("Java heap space");
          }

          @Override
          public ModelInfo model() {
            return fake.model();
          }
        };
    RecordTagger t =
        new RecordTagger(
            outOfMemory,
            new SentenceCodec(RecordFormat.AUTO, RecordFormat.AVRO, List.of()),
            RecordLimits.withKafkaDefaults(65_536, 1_000));
    RecordTagger.Ready ready = (RecordTagger.Ready) t.prepare(text("s", "Hello"));
    assertThrows(OutOfMemoryError.class, () -> t.tag(List.of(ready)));
    assertTrue(RecordTagger.isFatal(new OutOfMemoryError()));
    assertTrue(RecordTagger.isFatal(new NoClassDefFoundError()));
    assertFalse(RecordTagger.isFatal(new StackOverflowError()));
    assertFalse(RecordTagger.isFatal(new IllegalStateException()));
  }

  @Test
  void aDeadLetterIsCutToFitTheDeadLetterTopicAndSaysSo() throws Exception {
    int limit = 4_096;
    byte[] value = new byte[100_000];
    Arrays.fill(value, (byte) 'x');
    byte[] key = "the-key".getBytes(StandardCharsets.UTF_8);
    for (RecordFormat format : List.of(RecordFormat.AVRO, RecordFormat.JSON)) {
      RecordTagger t = tagger(format, new RecordLimits(65_536, 1_000, limit, limit));
      RecordTagger.Output out = (RecordTagger.Output) t.prepare(record(key, value));
      assertTrue(out.deadLetter());
      int headers = BufferedRecord.headerBytes(out.headers());
      assertTrue(
          key.length + out.value().length + headers <= limit, format + ": " + out.value().length);
      assertTrue(out.value().length > limit - headers - 200, "as much as fits, not much less");
      assertArrayEquals(key, out.key());
      if (format == RecordFormat.AVRO) {
        TaggingError e = SentenceCodec.decodeError(out.value());
        assertEquals(ErrorKind.TOO_LARGE, e.getKind());
        assertTrue(e.getTruncated());
        assertEquals(100_000, e.getValueSize());
        assertEquals(key.length, e.getKeySize());
        byte[] kept = new byte[e.getValue().remaining()];
        e.getValue().get(kept);
        assertArrayEquals(Arrays.copyOf(value, kept.length), kept);
      } else {
        JsonNode e = new ObjectMapper().readTree(out.value());
        assertEquals("TOO_LARGE", e.get("kind").asText());
        assertTrue(e.get("truncated").asBoolean());
        assertEquals(100_000, e.get("value_size").asInt());
        byte[] kept = Base64.getDecoder().decode(e.get("value_base64").asText());
        assertArrayEquals(Arrays.copyOf(value, kept.length), kept);
        assertEquals(
            "the-key", new String(Base64.getDecoder().decode(e.get("key_base64").asText())));
      }
    }
  }

  @Test
  void aKeyTooLargeForTheDeadLetterIsCutAndNotUsedAsItsKey() throws Exception {
    int limit = 4_096;
    RecordTagger t = tagger(RecordFormat.AVRO, new RecordLimits(65_536, 1_000, limit, limit));
    byte[] key = new byte[50_000];
    byte[] notUtf8 = new byte[] {'a', (byte) 0xFF, 'b'};
    RecordTagger.Output out = (RecordTagger.Output) t.prepare(record(key, notUtf8));
    assertNull(out.key());
    int headers = BufferedRecord.headerBytes(out.headers());
    assertTrue(out.value().length + headers <= limit);
    TaggingError e = SentenceCodec.decodeError(out.value());
    assertTrue(e.getTruncated());
    assertEquals(50_000, e.getKeySize());
    assertTrue(e.getKey().remaining() > limit - headers - 300);
    assertEquals(0, e.getValue().remaining(), "the value is cut first");
  }

  @Test
  void aTaggedSentenceTooLargeForTheOutputTopicBecomesADeadLetter() throws Exception {
    RecordTagger t = tagger(RecordFormat.JSON, new RecordLimits(65_536, 1_000, 2_000, 100_000));
    RecordTagger.Ready ready = (RecordTagger.Ready) t.prepare(text("big", "word ".repeat(200)));
    RecordTagger.Output out = t.tag(List.of(ready)).outputs().get(0);
    assertTrue(out.deadLetter());
    JsonNode json = new ObjectMapper().readTree(out.value());
    assertEquals("TOO_LARGE", json.get("kind").asText());
    assertEquals("big", json.get("sentence_id").asText());
    assertTrue(
        json.get("reason").asText().contains("more than the output topic's records may (2000)"),
        json.get("reason").asText());
    assertFalse(json.get("truncated").asBoolean());
  }

  @Test
  void aRecordBufferedByAnEarlierVersionWithoutHeadersStillReads() throws Exception {
    // The format before headers: key, value, topic, partition, offset, timestamp.
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
    out.writeInt(2);
    out.write(new byte[] {'k', '1'});
    out.writeInt(3);
    out.write(new byte[] {'a', 'b', 'c'});
    out.writeUTF("in");
    out.writeInt(4);
    out.writeLong(99);
    out.writeLong(123);
    BufferedRecord old = BufferedRecord.fromBytes(bytes.toByteArray());
    assertArrayEquals(new byte[] {'k', '1'}, old.key());
    assertArrayEquals(new byte[] {'a', 'b', 'c'}, old.value());
    assertEquals("in", old.topic());
    assertEquals(99, old.offset());
    assertEquals(0, old.headers().toArray().length);
    // And the current format round-trips, headers and a null key included.
    var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    headers.add("h", new byte[] {1, 2});
    headers.add("empty", null);
    BufferedRecord r = new BufferedRecord(null, new byte[] {7}, headers, "t", 1, 2, 3);
    BufferedRecord back = BufferedRecord.fromBytes(r.toBytes());
    assertNull(back.key());
    assertArrayEquals(new byte[] {1, 2}, back.headers().lastHeader("h").value());
    assertNull(back.headers().lastHeader("empty").value());
    assertEquals(2, back.offset());
  }
}
