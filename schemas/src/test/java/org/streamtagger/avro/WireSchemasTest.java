package org.streamtagger.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/** Records written with an earlier schema read with the current one, and the other way round. */
class WireSchemasTest {
  private static Schema oldest(String name) {
    List<Schema> h = WireSchemas.history(name);
    assertFalse(h.isEmpty(), "no history of " + name);
    return h.get(0);
  }

  @Test
  void aTaggedSentenceOfTheFirstSchemaReadsWithTheCurrentOneAndBack() throws Exception {
    Schema v1 = oldest("TaggedSentence");
    Schema tokenV1 = v1.getField("tokens").schema().getElementType();
    GenericRecord token = new GenericData.Record(tokenV1);
    token.put("word", "Hi");
    token.put("tag", "INTJ");
    token.put("confidence", 0.9f);
    token.put("start", 0);
    token.put("end", 2);
    GenericRecord old = new GenericData.Record(v1);
    old.put("id", "s1");
    old.put("tokens", List.of(token));
    old.put("model", "m:1");
    old.put("tag_column", "UPOS");
    old.put("received_ms", 1L);
    old.put("tagged_ms", 2L);
    old.put("inference_us", 3L);
    old.put("batch_size", 1);
    old.put("metadata", Map.of());
    ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);

    TaggedSentence read = WireSchemas.taggedSentences().decode(written);
    assertEquals("s1", read.getId());
    assertEquals("Hi", read.getTokens().get(0).getWord());
    assertNull(read.getTokens().get(0).getToken(), "a field added later takes its default");

    // A reader that knows only the first schema reads what is written now.
    TaggedSentence now =
        TaggedSentence.newBuilder(read)
            .setTokens(List.of(TaggedToken.newBuilder(read.getTokens().get(0)).setToken(0).build()))
            .build();
    SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(TaggedSentence.getClassSchema());
    GenericRecord back =
        new BinaryMessageDecoder<GenericRecord>(GenericData.get(), v1, store)
            .decode(TaggedSentence.getEncoder().encode(now));
    assertEquals("s1", back.get("id").toString());
    assertEquals(
        "Hi", ((GenericRecord) ((List<?>) back.get("tokens")).get(0)).get("word").toString());
  }

  @Test
  void aDeadLetterOfTheFirstSchemaReadsWithTheCurrentOne() throws Exception {
    Schema v1 = oldest("TaggingError");
    GenericRecord old = new GenericData.Record(v1);
    old.put("kind", new GenericData.EnumSymbol(v1.getField("kind").schema(), "TOO_LARGE"));
    old.put("reason", "too large");
    old.put("topic", "in");
    old.put("partition", 0);
    old.put("offset", 5L);
    old.put("timestamp_ms", 1L);
    ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
    TaggingError read = WireSchemas.taggingErrors().decode(written);
    assertEquals(ErrorKind.TOO_LARGE, read.getKind());
    assertFalse(read.getTruncated());
    assertNull(read.getValueSize());
  }
}
