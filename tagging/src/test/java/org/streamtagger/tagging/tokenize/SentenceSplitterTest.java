package org.streamtagger.tagging.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {
  private final EnglishTokenizer tokenizer = new EnglishTokenizer();
  private final SentenceSplitter splitter = new SentenceSplitter();

  private List<String> sentences(String text) {
    return splitter.split(text, tokenizer.tokenize(text)).stream()
        .map(s -> text.substring(s.get(0).start(), s.get(s.size() - 1).end()))
        .toList();
  }

  @Test
  void splitsAtTerminalPunctuationBeforeACapital() {
    assertEquals(
        List.of("Mr. Smith went to Washington.", "He arrived at 5 p.m. on Monday!", "Why?"),
        sentences("Mr. Smith went to Washington. He arrived at 5 p.m. on Monday! Why?"));
  }

  @Test
  void keepsClosingQuotesAndDoesNotSplitBeforeLowerCase() {
    assertEquals(
        List.of("\"Stop.\"", "She left... and came back.", "Fine"),
        sentences("\"Stop.\" She left... and came back. Fine"));
  }

  @Test
  void blankLinesEndSentencesAndEmptyTextHasNone() {
    assertEquals(List.of("first part", "second part"), sentences("first part\n\nsecond part"));
    assertEquals(List.of(), sentences(""));
    assertEquals(List.of(), sentences("   "));
  }
}
