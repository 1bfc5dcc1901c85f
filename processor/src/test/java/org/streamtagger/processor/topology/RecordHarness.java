package org.streamtagger.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import org.streamtagger.avro.ErrorKind;
import org.streamtagger.avro.Sentence;
import org.streamtagger.avro.TaggedSentence;
import org.streamtagger.avro.TaggedToken;
import org.streamtagger.avro.TaggingError;
import org.streamtagger.processor.serde.RawAvro;
import org.streamtagger.processor.serde.RecordFormat;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.tagging.inference.InferenceOptions;
import org.streamtagger.tagging.inference.OnnxTagger;

/**
 * One fuzz input through everything a record goes through, with the bundled model: decode, check,
 * tokenize, tag, encode; then checks that it came out as exactly one tagged sentence or one dead
 * letter that decodes and fits its topic, and that a normal sentence tagged in the same batch came
 * out tagged. Measures the time and the memory (bytes allocated on this thread) the record took.
 *
 * <p>The first two bytes of an input choose how it is used, so that a short input can stand for a
 * long or structured record and the kept inputs stay readable: byte 0 holds the input format (bits
 * 0-1: auto, avro, json, text), the output format (bit 2: json), small output topics (bit 3: 4 KiB,
 * so that dead letters are cut) and whether a normal sentence shares the batch (bit 4); byte 1 the
 * {@link Shape} of the rest.
 */
final class RecordHarness implements AutoCloseable {
  private static final int SMALL_TOPIC = 4_096;
  private static final int MAX_RECORD_BYTES = 65_536;
  private static final int MAX_WORDS = 1_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A record that takes more than this is run again (see {@link #run}). */
  private static final long REMEASURE_NANOS = 50_000_000;

  private static final long REMEASURE_BYTES = 4L << 20;

  private final OnnxTagger model;
  private final Set<String> tags;

  /** How the rest of an input (after the two control bytes) becomes a record value. */
  enum Shape {
    /** The value itself. */
    RAW,
    /** Bytes 0-1 a count (big-endian), the rest a unit repeated that often (at most 80 KB). */
    REPEATED,
    /** The text field of a hand-written Avro sentence, bytes as given (maybe not UTF-8). */
    AVRO_TEXT,
    /** As REPEATED, inside an Avro sentence's text. */
    AVRO_REPEATED,
    /** The inside of a JSON string: {@code {"id":"f","text":"<rest>"}}. */
    JSON_TEXT,
    /** Code points, three bytes each, as UTF-8 text: odd Unicode of every plane. */
    CODE_POINTS,
    /** Avro tokens, split at zero bytes, bytes as given. */
    AVRO_TOKENS,
    /** The body of an Avro sentence behind a valid header: lengths and counts that may lie. */
    AVRO_BODY
  }

  /**
   * What one input took.
   *
   * @param what the input's shape, format and size, for a report
   * @param nanos wall time from the raw record to its encoded output
   * @param bytes heap bytes allocated meanwhile on this thread
   */
  record Measured(String what, long nanos, long bytes) {}

  RecordHarness() throws IOException {
    model = OnnxTagger.bundled(InferenceOptions.defaults().withThreads(1));
    tags = Set.copyOf(model.model().tags());
  }

  @Override
  public void close() {
    model.close();
  }

  /** Runs one input, checks what came out, and says what it took; null for inputs too short. */
  Measured run(byte[] input) throws Exception {
    if (input.length < 2) {
      return null;
    }
    int flags = input[0] & 0xff;
    Shape shape = Shape.values()[(input[1] & 0xff) % Shape.values().length];
    byte[] rest = Arrays.copyOfRange(input, 2, input.length);
    RecordFormat inputFormat = RecordFormat.values()[flags & 3];
    RecordFormat outputFormat = (flags & 4) != 0 ? RecordFormat.JSON : RecordFormat.AVRO;
    int topicLimit =
        (flags & 8) != 0
            ? SMALL_TOPIC
            : RecordLimits.payloadLimit(
                RecordLimits.KAFKA_DEFAULT_MAX_REQUEST_SIZE,
                RecordLimits.KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
    RecordTagger records =
        new RecordTagger(
            model,
            new SentenceCodec(inputFormat, outputFormat, List.of()),
            new RecordLimits(MAX_RECORD_BYTES, MAX_WORDS, topicLimit, topicLimit));
    byte[] value = value(shape, rest);
    BufferedRecord record = new BufferedRecord(new byte[] {'k'}, value, "in", 0, 7, 1L);
    BufferedRecord normal = (flags & 16) != 0 ? normal(inputFormat) : null;

    Run run = run(records, record, normal);
    if (run.nanos > REMEASURE_NANOS || run.bytes > REMEASURE_BYTES) {
      // The first time a path runs, its classes load on this thread, which counts as the record's
      // time and memory: a second run gives the record's own.
      Run again = run(records, record, normal);
      run =
          new Run(
              again.outputs, Math.min(run.nanos, again.nanos), Math.min(run.bytes, again.bytes));
    }
    if (normal != null && run.outputs.size() == 2) {
      check(run.outputs.get(1), outputFormat, topicLimit, normal.value());
      assertFalse(run.outputs.get(1).deadLetter(), "the normal sentence beside it is tagged");
    }
    check(run.outputs.get(0), outputFormat, topicLimit, value);
    return new Measured(
        shape + ", " + inputFormat + ", " + value.length + " bytes", run.nanos, run.bytes);
  }

  /** What one record made, and the time and memory it took. */
  private record Run(List<RecordTagger.Output> outputs, long nanos, long bytes) {}

  /** Runs the record alone, or in one batch with {@code normal} if that is not null. */
  private static Run run(RecordTagger records, BufferedRecord record, BufferedRecord normal) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long bytesBefore = threads.getCurrentThreadAllocatedBytes();
    long start = System.nanoTime();
    List<RecordTagger.Output> outputs = new ArrayList<>();
    RecordTagger.Prepared prepared = records.prepare(record);
    if (prepared instanceof RecordTagger.Ready ready) {
      List<RecordTagger.Ready> batch = new ArrayList<>(List.of(ready));
      if (normal != null) {
        batch.add((RecordTagger.Ready) records.prepare(normal));
      }
      outputs.addAll(records.tag(batch).outputs());
      assertEquals(batch.size(), outputs.size(), "one output per record of the batch");
    } else {
      outputs.add((RecordTagger.Output) prepared);
    }
    return new Run(
        outputs, System.nanoTime() - start, threads.getCurrentThreadAllocatedBytes() - bytesBefore);
  }

  /** A sentence the model tags, written in the input format. */
  private static BufferedRecord normal(RecordFormat format) {
    String text = "The dog ate the apple.";
    byte[] value =
        switch (format) {
          case AVRO, AUTO ->
              SentenceCodec.encodeAvro(new Sentence("normal", text, null, null, new HashMap<>()));
          case JSON ->
              ("{\"id\":\"normal\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
          case TEXT -> text.getBytes(StandardCharsets.UTF_8);
        };
    return new BufferedRecord(new byte[] {'n'}, value, "in", 0, 8, 1L);
  }

  static byte[] value(Shape shape, byte[] rest) {
    return switch (shape) {
      case RAW -> rest;
      case REPEATED -> repeated(rest);
      case AVRO_TEXT -> RawAvro.text("f", rest);
      case AVRO_REPEATED -> RawAvro.text("f", repeated(rest));
      case JSON_TEXT -> concat("{\"id\":\"f\",\"text\":\"", rest, "\"}");
      case CODE_POINTS -> codePoints(rest);
      case AVRO_TOKENS -> tokens(rest);
      case AVRO_BODY -> concat(new RawAvro().done(), rest);
    };
  }

  private static byte[] repeated(byte[] rest) {
    if (rest.length < 3) {
      return rest;
    }
    int count = ((rest[0] & 0xff) << 8) | (rest[1] & 0xff);
    byte[] unit = Arrays.copyOfRange(rest, 2, rest.length);
    int n = (int) Math.min((long) count * unit.length, 80_000);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = unit[i % unit.length];
    }
    return out;
  }

  private static byte[] concat(String before, byte[] middle, String after) {
    return concat(
        concat(before.getBytes(StandardCharsets.UTF_8), middle),
        after.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] codePoints(byte[] rest) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i + 2 < rest.length; i += 3) {
      int cp = (((rest[i] & 0xff) << 16) | ((rest[i + 1] & 0xff) << 8) | (rest[i + 2] & 0xff));
      sb.appendCodePoint(cp % (Character.MAX_CODE_POINT + 1));
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] tokens(byte[] rest) {
    List<byte[]> parts = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= rest.length; i++) {
      if (i == rest.length || rest[i] == 0) {
        parts.add(Arrays.copyOfRange(rest, from, i));
        from = i + 1;
      }
    }
    RawAvro avro = new RawAvro().string("f").varint(0).varint(2).varint(parts.size());
    parts.forEach(avro::string);
    return avro.varint(0).varint(0).varint(0).done();
  }

  /**
   * The output decodes, fits its topic, and is what it says it is. A dead letter must blame the
   * input: with the bundled model every sentence that passes the checks can be tagged, so a
   * TAGGING_FAILED is an exception the processor caught that the fuzzer should report (the catch
   * keeps the stream going; it must not hide the bug).
   */
  private void check(RecordTagger.Output out, RecordFormat format, int limit, byte[] value)
      throws Exception {
    int size =
        out.value().length
            + (out.key() == null ? 0 : out.key().length)
            + BufferedRecord.headerBytes(out.headers());
    assertTrue(size <= limit, () -> "an output of " + size + " bytes for a limit of " + limit);
    if (out.deadLetter()) {
      if (format == RecordFormat.AVRO) {
        TaggingError e = SentenceCodec.decodeError(out.value());
        assertNotNull(e.getKind());
        assertNotEquals(ErrorKind.TAGGING_FAILED, e.getKind(), e.getReason());
        assertFalse(e.getReason().isBlank());
        assertEquals(7, e.getOffset());
        assertEquals(value.length, e.getValueSize());
      } else {
        JsonNode e = JSON.readTree(out.value());
        assertNotEquals("TAGGING_FAILED", e.get("kind").asText(), e.get("reason").asText());
        assertFalse(e.get("reason").asText().isBlank());
        assertEquals(value.length, e.get("value_size").asInt());
      }
      return;
    }
    assertTrue(out.tokens() > 0);
    List<String> words = new ArrayList<>();
    if (format == RecordFormat.AVRO) {
      TaggedSentence t = SentenceCodec.decodeTagged(out.value());
      for (TaggedToken token : t.getTokens()) {
        assertTrue(tags.contains(token.getTag()), token.getTag());
        words.add(token.getWord());
      }
    } else {
      for (JsonNode token : JSON.readTree(out.value()).get("tokens")) {
        assertTrue(tags.contains(token.get("tag").asText()));
        words.add(token.get("word").asText());
      }
    }
    assertEquals(out.tokens(), words.size());
    assertTrue(words.stream().noneMatch(String::isEmpty), "no empty word");
  }
}
