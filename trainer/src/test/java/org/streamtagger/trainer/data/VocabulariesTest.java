package org.streamtagger.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamtagger.corpus.ConlluReader;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;

class VocabulariesTest {

  private static List<Sentence> sentences(String... rows) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String r : rows) {
      String[] t = r.split(" ");
      for (int i = 0; i < t.length; i++) {
        String[] wt = t[i].split("/");
        sb.append(i + 1).append('\t').append(wt[0]).append("\t_\t").append(wt[1]);
        sb.append("\t_\t_\t_\t_\t_\t_\n");
      }
      sb.append('\n');
    }
    return ConlluReader.parse(new StringReader(sb.toString()), Path.of("t"));
  }

  @Test
  void wordsBelowMinCountMapToUnkAndOrderIsFirstOccurrence() {
    Vocabulary v = Vocabulary.build(List.of("b", "a", "b", "c", "a"), 2, List.of("<pad>", "<unk>"));
    assertEquals(List.of("<pad>", "<unk>", "b", "a"), v.symbols());
    assertEquals(1, v.id("c"));
    assertEquals(1, v.id("never seen"));
  }

  @Test
  void duplicateSymbolsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Vocabulary(List.of("a", "a")));
  }

  @Test
  void encodesCaseSensitiveWordsCodePointsAndSortedTags() throws IOException {
    Vocabularies v =
        Vocabularies.build(
            sentences("The/DET dog/NOUN", "the/DET \uD83D\uDE00/SYM"),
            TagColumn.UPOS,
            1,
            false,
            32);
    assertEquals(List.of("DET", "NOUN", "SYM"), v.tags().symbols());
    EncodedSentence e = v.encode(List.of("The", "the", "cat"), List.of("DET", "DET", "X"));
    assertEquals(v.words().id("The"), e.words()[0]);
    assertEquals(v.words().id("the"), e.words()[1]);
    assertEquals(v.words().unkId(), e.words()[2]);
    assertArrayEquals(new int[] {0, 0, -1}, e.tags());
    // The emoji is one code point, so one character id, not two surrogates.
    assertEquals(1, v.encodeChars("\uD83D\uDE00").length);
    assertEquals(v.chars().unkId(), v.encodeChars("\u00e9")[0]);
  }

  @Test
  void longWordsKeepHeadAndTail() throws IOException {
    Vocabularies v = Vocabularies.build(sentences("abcdefghij/X"), TagColumn.UPOS, 1, false, 4);
    int[] ids = v.encodeChars("abcdefghij");
    int[] expected = {
      v.chars().id(Integer.toString('a')),
      v.chars().id(Integer.toString('b')),
      v.chars().id(Integer.toString('i')),
      v.chars().id(Integer.toString('j'))
    };
    assertArrayEquals(expected, ids);
  }
}
