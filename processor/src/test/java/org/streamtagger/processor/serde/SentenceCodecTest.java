package org.streamtagger.processor.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.streamtagger.avro.ErrorKind;
import org.streamtagger.avro.Sentence;

class SentenceCodecTest {
  private final SentenceCodec auto =
      new SentenceCodec(RecordFormat.AUTO, RecordFormat.AVRO, List.of());

  private DecodeException refused(byte[] value) {
    return assertThrows(DecodeException.class, () -> auto.decode(value, "fallback"));
  }

  private DecodeException refused(String value) {
    return refused(value.getBytes(StandardCharsets.UTF_8));
  }

  private Sentence decoded(String value) throws DecodeException {
    return auto.decode(value.getBytes(StandardCharsets.UTF_8), "fallback");
  }

  @Test
  void aHandWrittenAvroRecordDecodesLikeAnEncodedOne() throws Exception {
    byte[] raw =
        new RawAvro()
            .string("s1")
            .varint(1)
            .string("Hello there")
            .varint(0) // no tokens
            .varint(1)
            .string("en")
            .varint(1) // one metadata entry
            .string("k")
            .string("v")
            .varint(0)
            .done();
    Sentence expected =
        new Sentence("s1", "Hello there", null, "en", new HashMap<>(Map.of("k", "v")));
    assertEquals(expected, auto.decode(raw, "x"));
    assertEquals(expected, auto.decode(SentenceCodec.encodeAvro(expected), "x"));
  }

  @Test
  void anAvroArrayCountThatLiesIsRefusedBeforeAnythingIsAllocated() {
    // 17 bytes that claim 2^31 - 1 tokens: Avro's decoder alone would allocate an array that big.
    byte[] raw = new RawAvro().string("x").varint(0).varint(1).varint(Integer.MAX_VALUE).done();
    DecodeException e = refused(raw);
    assertEquals(ErrorKind.UNDECODABLE, e.kind());
    assertTrue(
        e.getMessage().contains("Sentence.tokens: a block claims 2147483647 items"),
        e.getMessage());
    // The same for a map, a negative block count (with its byte size) and a string length.
    raw = new RawAvro().string("x").varint(0).varint(0).varint(0).varint(1L << 40).done();
    assertTrue(refused(raw).getMessage().contains("Sentence.metadata"));
    raw = new RawAvro().string("x").varint(0).varint(1).varint(-1_000_000).varint(5).done();
    assertTrue(refused(raw).getMessage().contains("claims 1000000 items"));
    raw = new RawAvro().varint(1L << 30).string("x").done();
    assertTrue(
        refused(raw).getMessage().contains("Sentence.id: a length of 1073741824 bytes"),
        refused(raw).getMessage());
  }

  @Test
  void avroStringsMustBeUtf8AndTheRecordMustEndWhereTheDatumDoes() {
    byte[] notUtf8 =
        new RawAvro()
            .string("x")
            .varint(1)
            .string(new byte[] {'o', 'k', (byte) 0xFF, (byte) 0xFE})
            .varint(0)
            .varint(0)
            .varint(0)
            .done();
    DecodeException e = refused(notUtf8);
    assertEquals(ErrorKind.UNDECODABLE, e.kind());
    assertTrue(
        e.getMessage().contains("Sentence.text: the string is not valid UTF-8"), e.getMessage());
    byte[] good = SentenceCodec.encodeAvro(new Sentence("t", "Fine", null, null, new HashMap<>()));
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 3);
    e = refused(trailing);
    assertEquals(ErrorKind.UNDECODABLE, e.kind());
    assertTrue(e.getMessage().contains("3 bytes follow the end of the Sentence record"));
    byte[] badBranch = new RawAvro().string("x").varint(7).done();
    assertTrue(refused(badBranch).getMessage().contains("union branch 7 does not exist"));
    byte[] overlongNumber =
        new RawAvro()
            .bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)
            .done();
    assertTrue(refused(overlongNumber).getMessage().contains("longer than 10 bytes"));
    assertEquals(ErrorKind.UNDECODABLE, refused(new byte[] {(byte) 0xC3, 0x01, 5}).kind());
  }

  @Test
  void anUnknownWriterSchemaIsSaidSo() {
    byte[] raw = new RawAvro().done();
    raw[5] ^= 1; // another fingerprint
    assertEquals(ErrorKind.UNKNOWN_SCHEMA, refused(raw).kind());
  }

  @Test
  void aByteOrderMarkIsSkippedBeforeJsonAndText() throws Exception {
    String bom = "\uFEFF";
    Sentence json = decoded(bom + "{\"id\":\"b1\",\"text\":\"Hi there\"}");
    assertEquals("b1", json.getId());
    assertEquals("Hi there", json.getText());
    Sentence text = decoded(bom + "plain words");
    assertEquals("fallback", text.getId());
    assertEquals("plain words", text.getText());
  }

  @Test
  void jsonFieldsMustHaveTheDocumentedTypes() throws Exception {
    assertEquals("7", decoded("{\"id\":7,\"text\":\"x\"}").getId());
    assertNull(decoded("{\"id\":\"a\",\"text\":null,\"tokens\":[\"w\"]}").getText());
    assertEquals(
        Map.of("n", "1.5", "b", "true", "s", "x"),
        decoded("{\"id\":\"a\",\"text\":\"x\",\"metadata\":{\"n\":1.5,\"b\":true,\"s\":\"x\"}}")
            .getMetadata());
    assertEquals(
        "en",
        decoded("{\"id\":\"a\",\"text\":\"x\",\"extra\":[1,{}],\"language\":\"en\"}")
            .getLanguage());
    Map<String, String> refusals =
        Map.of(
            "{\"id\":\"a\",\"text\":42}", "\"text\" must be a string, found the number 42",
            "{\"id\":null,\"text\":\"x\"}", "\"id\" must be a string or an integer, found null",
            "{\"text\":\"x\"}", "\"id\" must be a string or an integer, found nothing",
            "{\"id\":1.5,\"text\":\"x\"}",
                "\"id\" must be a string or an integer, found the number 1.5",
            "{\"id\":\"a\",\"tokens\":\"w\"}",
                "\"tokens\" must be an array of strings, found string",
            "{\"id\":\"a\",\"tokens\":[\"w\",3]}",
                "\"tokens\"[1] must be a string, found the number 3",
            "{\"id\":\"a\",\"text\":\"x\",\"metadata\":[]}",
                "\"metadata\" must be an object, found array",
            "{\"id\":\"a\",\"text\":\"x\",\"metadata\":{\"k\":null}}",
                "metadata \"k\" must be a string, number or boolean, found null",
            "{\"id\":\"a\",\"text\":\"x\",\"language\":{}}",
                "\"language\" must be a string, found object",
            "[{\"id\":\"a\"}]", "JSON value is not an object");
    SentenceCodec json = new SentenceCodec(RecordFormat.JSON, RecordFormat.AVRO, List.of());
    for (var r : refusals.entrySet()) {
      DecodeException e =
          assertThrows(
              DecodeException.class,
              () -> json.decode(r.getKey().getBytes(StandardCharsets.UTF_8), "f"),
              r.getKey());
      assertEquals(ErrorKind.INVALID_SENTENCE, e.kind(), r.getKey());
      assertTrue(e.getMessage().contains(r.getValue()), r.getKey() + " -> " + e.getMessage());
    }
  }

  @Test
  void jsonIsOneObjectWithoutDuplicateKeysOrTrailingContentOrLoneSurrogates() {
    SentenceCodec json = new SentenceCodec(RecordFormat.JSON, RecordFormat.AVRO, List.of());
    for (String bad :
        List.of(
            "{\"id\":\"a\",\"text\":\"x\"} trailing",
            "{\"id\":\"a\",\"text\":\"x\"}{\"id\":\"b\"}",
            "{\"id\":\"a\",\"id\":\"b\",\"text\":\"x\"}",
            "{\"id\":\"a\",\"text\":\"x\"",
            "{\"id\":\"a\",\"text\":\"half \\ud800 a pair\"}")) {
      DecodeException e =
          assertThrows(
              DecodeException.class,
              () -> json.decode(bad.getBytes(StandardCharsets.UTF_8), "f"),
              bad);
      assertEquals(ErrorKind.UNDECODABLE, e.kind(), bad);
    }
  }

  @Test
  void textThatIsNotUtf8IsUndecodable() {
    assertEquals(
        ErrorKind.UNDECODABLE, refused(new byte[] {'o', 'k', (byte) 0xC0, (byte) 0x80}).kind());
  }

  @Test
  void autoDetectionTakesJsonOnlyWhenItIsASentencesObject() throws Exception {
    for (String text :
        List.of(
            "{braces} open this sentence", "{\"id\":\"x\"}", "{\"text\":\"no id\"}", "{not json")) {
      Sentence s = decoded(text);
      assertEquals("fallback", s.getId(), text);
      assertEquals(text, s.getText());
    }
    assertEquals("j", decoded("{\"id\":\"j\",\"text\":\"Hi\"}").getId());
    assertEquals("t", decoded(" {\"id\":\"t\",\"tokens\":[\"Hi\"]}").getId());
    // The fields are there, of the wrong type: JSON, refused by name, with the id it has.
    DecodeException e = refused("{\"id\":\"n\",\"text\":42}");
    assertEquals(ErrorKind.INVALID_SENTENCE, e.kind());
    assertEquals("n", e.sentenceId());
  }

  @Test
  void aConfluentFramedRecordIsRecognisedAndSaidHowToConfigureFor() {
    byte[] framed = {0, 0, 0, 0, 42, 2, 'x', 0};
    for (SentenceCodec codec :
        List.of(auto, new SentenceCodec(RecordFormat.AVRO, RecordFormat.AVRO, List.of()))) {
      DecodeException e = assertThrows(DecodeException.class, () -> codec.decode(framed, "f"));
      assertEquals(ErrorKind.UNDECODABLE, e.kind());
      assertTrue(
          e.getMessage()
              .startsWith("Confluent Schema Registry framing (magic byte 0, schema id 42)"),
          e.getMessage());
      assertTrue(e.getMessage().contains("tagger.input.format=json"), e.getMessage());
    }
  }
}
