package org.streamtagger.processor.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.streamtagger.avro.ErrorKind;
import org.streamtagger.avro.Sentence;
import org.streamtagger.avro.TaggedSentence;
import org.streamtagger.avro.TaggedToken;
import org.streamtagger.avro.TaggingError;

/**
 * Bytes to {@link Sentence} and {@link TaggedSentence} / {@link TaggingError} to bytes, in Avro
 * single-object encoding (no registry: the header carries the schema's fingerprint and the decoder
 * resolves the writer's schema from the ones it knows) or JSON; input may also be plain UTF-8 text.
 * Every way a record can be bad becomes a {@link DecodeException} with its kind.
 */
public final class SentenceCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] AVRO_MAGIC = {(byte) 0xC3, (byte) 0x01};

  private final RecordFormat inputFormat;
  private final RecordFormat outputFormat;
  private final BinaryMessageDecoder<Sentence> sentenceDecoder;
  private final int maxBytes;
  private final int maxTokens;

  /**
   * A codec.
   *
   * @param inputFormat how input values are written
   * @param outputFormat {@code AVRO} or {@code JSON} for tagged sentences and dead letters
   * @param knownSchemas older writer schemas of {@code Sentence} the decoder may meet
   * @param maxBytes larger input values are refused ({@code TOO_LARGE})
   * @param maxTokens sentences with more tokens are refused ({@code TOO_LARGE})
   */
  public SentenceCodec(
      RecordFormat inputFormat,
      RecordFormat outputFormat,
      List<org.apache.avro.Schema> knownSchemas,
      int maxBytes,
      int maxTokens) {
    if (outputFormat != RecordFormat.AVRO && outputFormat != RecordFormat.JSON) {
      throw new IllegalArgumentException("output format must be avro or json, got " + outputFormat);
    }
    this.inputFormat = inputFormat;
    this.outputFormat = outputFormat;
    SchemaStore.Cache store = new SchemaStore.Cache();
    knownSchemas.forEach(store::addSchema);
    sentenceDecoder =
        new BinaryMessageDecoder<>(SpecificData.get(), Sentence.getClassSchema(), store);
    this.maxBytes = maxBytes;
    this.maxTokens = maxTokens;
  }

  /**
   * Decodes and checks an input value.
   *
   * @param fallbackId the id of a plain-text record (e.g. topic-partition-offset)
   */
  public Sentence decode(byte[] value, String fallbackId) throws DecodeException {
    if (value == null || value.length == 0) {
      throw new DecodeException(ErrorKind.INVALID_SENTENCE, "empty record value");
    }
    if (value.length > maxBytes) {
      throw new DecodeException(
          ErrorKind.TOO_LARGE,
          "record value of " + value.length + " bytes exceeds the limit of " + maxBytes);
    }
    RecordFormat format = inputFormat == RecordFormat.AUTO ? detect(value) : inputFormat;
    Sentence s =
        switch (format) {
          case AVRO -> avro(value);
          case JSON -> json(value);
          default -> new Sentence(fallbackId, utf8(value), null, null, new HashMap<>());
        };
    return validate(s);
  }

  private static RecordFormat detect(byte[] value) {
    if (value.length >= 2 && value[0] == AVRO_MAGIC[0] && value[1] == AVRO_MAGIC[1]) {
      return RecordFormat.AVRO;
    }
    int i = 0;
    while (i < value.length && Character.isWhitespace(value[i])) {
      i++;
    }
    return i < value.length && value[i] == '{' ? RecordFormat.JSON : RecordFormat.TEXT;
  }

  private Sentence avro(byte[] value) throws DecodeException {
    try {
      return sentenceDecoder.decode(value);
    } catch (MissingSchemaException e) {
      throw new DecodeException(
          ErrorKind.UNKNOWN_SCHEMA, "Avro record with an unknown schema fingerprint", e);
    } catch (BadHeaderException e) {
      throw new DecodeException(
          ErrorKind.UNDECODABLE, "not Avro single-object encoding: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new DecodeException(
          ErrorKind.UNDECODABLE, "Avro record cannot be read (truncated or corrupt): " + e, e);
    }
  }

  private static Sentence json(byte[] value) throws DecodeException {
    JsonNode node;
    try {
      node = JSON.readTree(utf8(value));
    } catch (IOException e) {
      throw new DecodeException(
          ErrorKind.UNDECODABLE,
          "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
    if (node == null || !node.isObject()) {
      throw new DecodeException(ErrorKind.INVALID_SENTENCE, "JSON value is not an object");
    }
    JsonNode id = node.get("id");
    if (id == null || !id.isValueNode()) {
      throw new DecodeException(ErrorKind.INVALID_SENTENCE, "JSON sentence has no \"id\"");
    }
    String text = node.hasNonNull("text") ? node.get("text").asText() : null;
    List<String> tokens = null;
    if (node.hasNonNull("tokens")) {
      if (!node.get("tokens").isArray()) {
        throw new DecodeException(ErrorKind.INVALID_SENTENCE, "\"tokens\" is not an array");
      }
      tokens = new ArrayList<>();
      for (JsonNode t : node.get("tokens")) {
        if (!t.isTextual()) {
          throw new DecodeException(ErrorKind.INVALID_SENTENCE, "a token is not a string: " + t);
        }
        tokens.add(t.asText());
      }
    }
    Map<String, String> metadata = new HashMap<>();
    if (node.has("metadata") && node.get("metadata").isObject()) {
      node.get("metadata")
          .fields()
          .forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
    }
    String language = node.hasNonNull("language") ? node.get("language").asText() : null;
    return new Sentence(id.asText(), text, tokens, language, metadata);
  }

  private Sentence validate(Sentence s) throws DecodeException {
    boolean hasText = s.getText() != null && !s.getText().isBlank();
    boolean hasTokens = s.getTokens() != null && !s.getTokens().isEmpty();
    if (!hasText && !hasTokens) {
      throw new DecodeException(
          ErrorKind.INVALID_SENTENCE, "sentence " + s.getId() + " has neither text nor tokens");
    }
    if (hasTokens) {
      if (s.getTokens().size() > maxTokens) {
        throw new DecodeException(
            ErrorKind.TOO_LARGE,
            "sentence "
                + s.getId()
                + " has "
                + s.getTokens().size()
                + " tokens, limit "
                + maxTokens);
      }
      for (int i = 0; i < s.getTokens().size(); i++) {
        if (s.getTokens().get(i) == null || s.getTokens().get(i).isEmpty()) {
          throw new DecodeException(
              ErrorKind.INVALID_SENTENCE, "sentence " + s.getId() + ": token " + i + " is empty");
        }
      }
    }
    return s;
  }

  private static String utf8(byte[] value) throws DecodeException {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new DecodeException(ErrorKind.UNDECODABLE, "value is not valid UTF-8", e);
    }
  }

  /** Encodes an input sentence (for producers and tests) in single-object Avro. */
  public static byte[] encodeAvro(Sentence s) {
    try {
      return Sentence.getEncoder().encode(s).array();
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
    Map<String, Object> m = new HashMap<>();
    m.put("id", t.getId());
    List<Map<String, Object>> tokens = new ArrayList<>();
    for (TaggedToken tok : t.getTokens()) {
      Map<String, Object> tm = new HashMap<>();
      tm.put("word", tok.getWord());
      tm.put("tag", tok.getTag());
      tm.put("confidence", tok.getConfidence());
      tm.put("start", tok.getStart());
      tm.put("end", tok.getEnd());
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
    Map<String, Object> m = new HashMap<>();
    m.put("kind", e.getKind().name());
    m.put("reason", e.getReason());
    m.put("topic", e.getTopic());
    m.put("partition", e.getPartition());
    m.put("offset", e.getOffset());
    m.put("timestamp_ms", e.getTimestampMs());
    m.put("sentence_id", e.getSentenceId());
    m.put(
        "value_base64",
        e.getValue() == null
            ? null
            : java.util.Base64.getEncoder().encodeToString(toArray(e.getValue())));
    return json(m);
  }

  /** A tagged sentence back from its encoding (for consumers and tests). */
  public static TaggedSentence decodeTagged(byte[] value) throws IOException {
    return TaggedSentence.getDecoder().decode(value);
  }

  /** A dead letter back from its encoding (for consumers and tests). */
  public static TaggingError decodeError(byte[] value) throws IOException {
    return TaggingError.getDecoder().decode(value);
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
