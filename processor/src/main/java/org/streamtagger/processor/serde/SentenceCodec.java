package org.streamtagger.processor.serde;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.streamtagger.avro.ErrorKind;
import org.streamtagger.avro.Sentence;
import org.streamtagger.avro.TaggedSentence;
import org.streamtagger.avro.TaggedToken;
import org.streamtagger.avro.TaggingError;
import org.streamtagger.avro.WireSchemas;

/**
 * Bytes to {@link Sentence} and {@link TaggedSentence} / {@link TaggingError} to bytes, in Avro
 * single-object encoding (no registry: the header carries the schema's fingerprint and the decoder
 * resolves the writer's schema from the ones it knows) or JSON; input may also be plain UTF-8 text.
 * Every way a value can be malformed becomes a {@link DecodeException} with its kind; whether the
 * sentence it holds can be tagged (empty, too large) is for the caller to judge.
 *
 * <p>Decoding is strict, so that a record is read one way only: Avro must be exactly one datum of a
 * known writer schema, checked before Avro's decoder allocates anything ({@link AvroDatumCheck});
 * JSON must be one object without duplicate keys or trailing content, with fields of the documented
 * types; all text must be valid UTF-8 (a leading byte order mark is skipped) and valid Unicode.
 */
public final class SentenceCodec {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
  private static final byte[] AVRO_MAGIC = {(byte) 0xC3, (byte) 0x01};
  private static final BinaryMessageDecoder<TaggedSentence> TAGGED = WireSchemas.taggedSentences();
  private static final BinaryMessageDecoder<TaggingError> ERRORS = WireSchemas.taggingErrors();
  private static final int AVRO_HEADER = 10; // magic and the 8-byte schema fingerprint
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** Reasons quote what a parser said about the input; this much of it is enough. */
  private static final int MAX_QUOTED = 300;

  private final RecordFormat inputFormat;
  private final RecordFormat outputFormat;
  private final BinaryMessageDecoder<Sentence> sentenceDecoder;
  private final Map<Long, Schema> writerSchemas = new HashMap<>();

  /**
   * A codec.
   *
   * @param inputFormat how input values are written
   * @param outputFormat {@code AVRO} or {@code JSON} for tagged sentences and dead letters
   * @param knownSchemas older writer schemas of {@code Sentence} the decoder may meet
   */
  public SentenceCodec(
      RecordFormat inputFormat, RecordFormat outputFormat, List<Schema> knownSchemas) {
    if (outputFormat != RecordFormat.AVRO && outputFormat != RecordFormat.JSON) {
      throw new IllegalArgumentException("output format must be avro or json, got " + outputFormat);
    }
    this.inputFormat = inputFormat;
    this.outputFormat = outputFormat;
    SchemaStore.Cache store = new SchemaStore.Cache();
    List<Schema> schemas = new ArrayList<>(knownSchemas);
    schemas.add(Sentence.getClassSchema());
    for (Schema s : schemas) {
      store.addSchema(s);
      writerSchemas.put(SchemaNormalization.parsingFingerprint64(s), s);
    }
    sentenceDecoder =
        new BinaryMessageDecoder<>(SpecificData.get(), Sentence.getClassSchema(), store);
  }

  /** The format of tagged sentences and dead letters. */
  public RecordFormat outputFormat() {
    return outputFormat;
  }

  /**
   * Decodes an input value.
   *
   * @param fallbackId the id of a plain-text record (e.g. topic-partition-offset)
   * @throws DecodeException naming what is malformed
   */
  public Sentence decode(byte[] value, String fallbackId) throws DecodeException {
    if (value == null || value.length == 0) {
      throw new DecodeException(ErrorKind.INVALID_SENTENCE, "empty record value");
    }
    switch (inputFormat) {
      case AVRO:
        return avro(value);
      case JSON:
        return json(parseJson(value));
      case TEXT:
        return new Sentence(fallbackId, text(value), null, null, new HashMap<>());
      default:
        break;
    }
    // auto: told apart by their first bytes, and JSON only when it is a sentence's object
    if (startsWith(value, AVRO_MAGIC) || isConfluentFramed(value)) {
      return avro(value);
    }
    JsonNode sentence = sentenceObject(value);
    if (sentence != null) {
      return json(sentence);
    }
    return new Sentence(fallbackId, text(value), null, null, new HashMap<>());
  }

  /**
   * Confluent Schema Registry's framing: a zero byte, then the schema's registry id (4 bytes). A
   * value that starts so is Avro the registry knows, not text.
   */
  private static boolean isConfluentFramed(byte[] value) {
    return value.length >= 5 && value[0] == 0;
  }

  /**
   * The value as a JSON object that has the fields a sentence needs ({@code id}, and {@code text}
   * or {@code tokens}), or null: any other value that starts with a brace is text (a sentence may
   * start with one).
   */
  private static JsonNode sentenceObject(byte[] value) {
    int i = startsWith(value, UTF8_BOM) ? UTF8_BOM.length : 0;
    while (i < value.length && Character.isWhitespace(value[i])) {
      i++;
    }
    if (i >= value.length || value[i] != '{') {
      return null;
    }
    try {
      JsonNode node = parseJson(value);
      return node != null
              && node.isObject()
              && node.has("id")
              && (node.has("text") || node.has("tokens"))
          ? node
          : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  private Sentence avro(byte[] value) throws DecodeException {
    if (isConfluentFramed(value)) {
      int id = ByteBuffer.wrap(value, 1, 4).getInt();
      throw new DecodeException(
          ErrorKind.UNDECODABLE,
          "Confluent Schema Registry framing (magic byte 0, schema id "
              + id
              + "): this processor reads Avro single-object encoding (C3 01 and the schema's"
              + " fingerprint, as Avro's BinaryMessageEncoder writes it), JSON or text; produce"
              + " one of those, e.g. JSON with tagger.input.format=json");
    }
    if (!startsWith(value, AVRO_MAGIC)) {
      throw new DecodeException(
          ErrorKind.UNDECODABLE, "not Avro single-object encoding: no C3 01 marker");
    }
    if (value.length < AVRO_HEADER) {
      throw new DecodeException(
          ErrorKind.UNDECODABLE,
          "not Avro single-object encoding: " + value.length + " bytes, the header alone has 10");
    }
    Schema writer =
        writerSchemas.get(
            ByteBuffer.wrap(value, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
    if (writer == null) {
      throw new DecodeException(
          ErrorKind.UNKNOWN_SCHEMA, "Avro record with an unknown schema fingerprint");
    }
    try {
      AvroDatumCheck.check(writer, value, AVRO_HEADER);
    } catch (AvroDatumCheck.Malformed e) {
      throw new DecodeException(
          ErrorKind.UNDECODABLE, "Avro record is malformed: " + e.getMessage());
    }
    try {
      return sentenceDecoder.decode(value);
    } catch (IOException | RuntimeException e) {
      throw new DecodeException(
          ErrorKind.UNDECODABLE, "Avro record cannot be read: " + quote(e.toString()), e);
    }
  }

  private static JsonNode parseJson(byte[] value) throws DecodeException {
    try {
      return JSON.readTree(text(value));
    } catch (JacksonException e) {
      throw new DecodeException(
          ErrorKind.UNDECODABLE, "not valid JSON: " + quote(e.getOriginalMessage()), e);
    }
  }

  private static Sentence json(JsonNode node) throws DecodeException {
    if (node == null || !node.isObject()) {
      throw new DecodeException(
          ErrorKind.INVALID_SENTENCE, "JSON value is not an object: " + describe(node));
    }
    JsonNode id = node.get("id");
    if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
      throw new DecodeException(
          ErrorKind.INVALID_SENTENCE,
          "JSON sentence: \"id\" must be a string or an integer, found " + describe(id));
    }
    String sentenceId = unicode(id.asText(), "id");
    try {
      return fields(node, sentenceId);
    } catch (DecodeException e) {
      // The id was read: the dead letter can name the sentence.
      throw new DecodeException(e.kind(), e.getMessage(), sentenceId, e.getCause());
    }
  }

  /** The fields of a JSON sentence beside its id. */
  private static Sentence fields(JsonNode node, String id) throws DecodeException {
    String text = optionalString(node, "text");
    List<String> tokens = null;
    JsonNode t = node.get("tokens");
    if (t != null && !t.isNull()) {
      if (!t.isArray()) {
        throw new DecodeException(
            ErrorKind.INVALID_SENTENCE,
            "JSON sentence: \"tokens\" must be an array of strings, found " + describe(t));
      }
      tokens = new ArrayList<>(t.size());
      for (int i = 0; i < t.size(); i++) {
        JsonNode token = t.get(i);
        if (!token.isTextual()) {
          throw new DecodeException(
              ErrorKind.INVALID_SENTENCE,
              "JSON sentence: \"tokens\"[" + i + "] must be a string, found " + describe(token));
        }
        tokens.add(unicode(token.asText(), "tokens[" + i + "]"));
      }
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    JsonNode m = node.get("metadata");
    if (m != null && !m.isNull()) {
      if (!m.isObject()) {
        throw new DecodeException(
            ErrorKind.INVALID_SENTENCE,
            "JSON sentence: \"metadata\" must be an object, found " + describe(m));
      }
      for (var e : m.properties()) {
        JsonNode v = e.getValue();
        if (!v.isValueNode() || v.isNull()) {
          throw new DecodeException(
              ErrorKind.INVALID_SENTENCE,
              "JSON sentence: metadata \""
                  + quote(e.getKey())
                  + "\" must be a string, number or boolean, found "
                  + describe(v));
        }
        metadata.put(unicode(e.getKey(), "a metadata key"), unicode(v.asText(), "metadata"));
      }
    }
    return new Sentence(
        id,
        text == null ? null : unicode(text, "text"),
        tokens,
        optionalString(node, "language"),
        metadata);
  }

  /** A field that may be absent or null, else must be a string. */
  private static String optionalString(JsonNode node, String field) throws DecodeException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new DecodeException(
          ErrorKind.INVALID_SENTENCE,
          "JSON sentence: \"" + field + "\" must be a string, found " + describe(v));
    }
    return unicode(v.asText(), field);
  }

  private static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    if (v.isNumber()) {
      return "the number " + quote(v.asText());
    }
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The string if it is Unicode text. JSON's {@code \ud800} escapes can write a lone surrogate,
   * which no UTF-8 output (Avro or JSON) can carry.
   */
  private static String unicode(String s, String field) throws DecodeException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new DecodeException(
            ErrorKind.UNDECODABLE,
            "JSON sentence: "
                + field
                + " holds an unpaired surrogate (\\u"
                + Integer.toHexString(c)
                + ") at char "
                + i
                + ": not Unicode text");
      }
    }
    return s;
  }

  /** Strict UTF-8, without a leading byte order mark. */
  private static String text(byte[] value) throws DecodeException {
    int from = startsWith(value, UTF8_BOM) ? UTF8_BOM.length : 0;
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value, from, value.length - from));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new DecodeException(ErrorKind.UNDECODABLE, "value is not valid UTF-8", e);
    }
  }

  private static boolean startsWith(byte[] value, byte[] prefix) {
    if (value.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (value[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** At most {@link #MAX_QUOTED} characters of {@code s}, on one line. */
  static String quote(String s) {
    if (s == null) {
      return "";
    }
    String line = s.lines().findFirst().orElse("");
    return line.length() <= MAX_QUOTED ? line : line.substring(0, MAX_QUOTED) + "...";
  }

  /** Encodes an input sentence (for producers and tests) in single-object Avro. */
  public static byte[] encodeAvro(Sentence s) {
    try {
      return toArray(Sentence.getEncoder().encode(s));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Encodes a tagged sentence in the output format. */
  public byte[] encode(TaggedSentence t) {
    if (outputFormat == RecordFormat.AVRO) {
      try {
        return toArray(TaggedSentence.getEncoder().encode(t));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.getId());
    List<Map<String, Object>> tokens = new ArrayList<>();
    for (TaggedToken tok : t.getTokens()) {
      Map<String, Object> tm = new LinkedHashMap<>();
      tm.put("word", tok.getWord());
      tm.put("tag", tok.getTag());
      tm.put("confidence", tok.getConfidence());
      tm.put("start", tok.getStart());
      tm.put("end", tok.getEnd());
      tm.put("token", tok.getToken());
      tokens.add(tm);
    }
    m.put("tokens", tokens);
    m.put("model", t.getModel());
    m.put("tag_column", t.getTagColumn());
    m.put("received_ms", t.getReceivedMs());
    m.put("tagged_ms", t.getTaggedMs());
    m.put("inference_us", t.getInferenceUs());
    m.put("batch_size", t.getBatchSize());
    m.put("language", t.getLanguage());
    m.put("metadata", t.getMetadata());
    return json(m);
  }

  /** Encodes a dead letter in the output format. */
  public byte[] encode(TaggingError e) {
    if (outputFormat == RecordFormat.AVRO) {
      try {
        return toArray(TaggingError.getEncoder().encode(e));
      } catch (IOException ex) {
        throw new IllegalStateException(ex);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", e.getKind().name());
    m.put("reason", e.getReason());
    m.put("topic", e.getTopic());
    m.put("partition", e.getPartition());
    m.put("offset", e.getOffset());
    m.put("timestamp_ms", e.getTimestampMs());
    m.put("sentence_id", e.getSentenceId());
    m.put("key_base64", base64(e.getKey()));
    m.put("value_base64", base64(e.getValue()));
    m.put("truncated", e.getTruncated());
    m.put("key_size", e.getKeySize());
    m.put("value_size", e.getValueSize());
    return json(m);
  }

  private static String base64(ByteBuffer b) {
    return b == null ? null : java.util.Base64.getEncoder().encodeToString(toArray(b));
  }

  /** A tagged sentence back from its encoding, any version of its schema (consumers, tests). */
  public static TaggedSentence decodeTagged(byte[] value) throws IOException {
    return TAGGED.decode(value);
  }

  /** A dead letter back from its encoding, any version of its schema (consumers, tests). */
  public static TaggingError decodeError(byte[] value) throws IOException {
    return ERRORS.decode(value);
  }

  private static byte[] json(Object o) {
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] toArray(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}
