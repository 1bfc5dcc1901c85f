package org.streamtagger.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConlluReaderTest {
  private static final Path SOURCE = Path.of("fixture.conllu");

  private static String row(String id, String form, String upos, String xpos) {
    return String.join("\t", id, form, "_", upos, xpos, "_", "_", "_", "_", "_") + "\n";
  }

  private static List<Sentence> parse(String text) throws IOException {
    return ConlluReader.parse(new StringReader(text), SOURCE);
  }

  @Test
  void readsWordsCommentsMultiwordTokensAndSkipsEmptyNodes() throws IOException {
    String text =
        "# newdoc id = d1\n"
            + "# sent_id = s1\n"
            + "# text = I don't know.\n"
            + row("1", "I", "PRON", "PRP")
            + row("2-3", "don't", "_", "_")
            + row("2", "do", "AUX", "VBP")
            + row("3", "n't", "PART", "RB")
            + row("4", "know", "VERB", "VB")
            + row("4.1", "knew", "VERB", "VBD")
            + row("5", ".", "PUNCT", ".")
            + "\n"
            + row("1", "Hi", "INTJ", "UH");
    List<Sentence> sentences = parse(text);

    assertEquals(2, sentences.size());
    Sentence first = sentences.get(0);
    assertEquals("s1", first.sentId());
    assertEquals("I don't know.", first.text());
    assertEquals(List.of("I", "do", "n't", "know", "."), first.forms());
    assertEquals(List.of("PRON", "AUX", "PART", "VERB", "PUNCT"), first.tags(TagColumn.UPOS));
    assertEquals(List.of("PRP", "VBP", "RB", "VB", "."), first.tags(TagColumn.XPOS));
    assertEquals(List.of(new MultiwordToken(2, 3, "don't", "_")), first.multiwordTokens());
    assertEquals(1, first.line());
    Sentence second = sentences.get(1);
    assertNull(second.text());
    assertEquals(List.of("Hi"), second.forms());
    assertEquals(12, second.line());
  }

  @Test
  void wrongColumnCountNamesFileAndLine() {
    var e =
        assertThrows(
            ConlluFormatException.class, () -> parse(row("1", "a", "X", "X") + "2\tb\tX\n"));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().startsWith("fixture.conllu:2: expected 10"), e.getMessage());
  }

  @Test
  void outOfOrderIdIsAnError() {
    var e =
        assertThrows(
            ConlluFormatException.class,
            () -> parse(row("1", "a", "X", "X") + row("3", "b", "X", "X")));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("expected word ID 2, found 3"), e.getMessage());
  }

  @Test
  void nonNumericIdIsAnError() {
    var e = assertThrows(ConlluFormatException.class, () -> parse(row("x", "a", "X", "X")));
    assertTrue(e.getMessage().contains("bad ID 'x'"), e.getMessage());
  }

  @Test
  void rangePastTheLastWordIsAnError() {
    var e =
        assertThrows(
            ConlluFormatException.class,
            () -> parse(row("1-2", "ab", "_", "_") + row("1", "a", "X", "X") + "\n"));
    assertTrue(e.getMessage().contains("ends past the last word"), e.getMessage());
  }

  @Test
  void commentInsideSentenceIsAnError() {
    var e =
        assertThrows(
            ConlluFormatException.class, () -> parse(row("1", "a", "X", "X") + "# oops\n"));
    assertEquals(2, e.line());
  }

  @Test
  void invalidUtf8NamesTheFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.conllu");
    byte[] good = row("1", "a", "X", "X").getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[good.length + 2];
    System.arraycopy(good, 0, bytes, 0, good.length);
    bytes[good.length] = (byte) 0xC3;
    bytes[good.length + 1] = (byte) 0x28;
    Files.write(file, bytes);
    var e = assertThrows(ConlluFormatException.class, () -> ConlluReader.read(file));
    assertTrue(e.getMessage().contains("bad.conllu"), e.getMessage());
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void missingFileIsNoSuchFile(@TempDir Path dir) {
    assertThrows(NoSuchFileException.class, () -> ConlluReader.read(dir.resolve("absent")));
  }
}
