package org.streamtagger.tagging.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnglishTokenizerTest {
  private final EnglishTokenizer tokenizer = new EnglishTokenizer();

  private List<String> texts(String s) {
    return tokenizer.tokenize(s).stream().map(Token::text).toList();
  }

  private List<String> words(String s) {
    return tokenizer.tokenize(s).stream().flatMap(t -> t.words().stream()).toList();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "The dog ate the apple.|The dog ate the apple .",
        "(see below), she said!|( see below ) , she said !",
        "Really?!|Really ?!",
        "Wait...|Wait ...",
        "The U.S. and Mr. Smith arrived.|The U.S. and Mr. Smith arrived .",
        "It costs $5, or 1,000.50 in total.|It costs $ 5 , or 1,000.50 in total .",
        "a long-term plan with co-workers|a long - term plan with co-workers",
        "call 713-853-3989 at 10:30|call 713-853-3989 at 10:30",
        "mail me at john.doe@example.com now|mail me at john.doe@example.com now",
        "see http://example.com/a?b=1.|see http://example.com/a?b=1 .",
        "\"Quoted,\" he said|\" Quoted , \" he said",
        "and/or|and / or",
        "great :)|great :)"
      })
  void splitsLikeTheTreebank(String text, String expected) {
    assertEquals(List.of(expected.split(" ")), texts(text));
  }

  @Test
  void contractionsAreOneTokenOfSeveralWords() {
    assertEquals(List.of("I", "don't", "know", "."), texts("I don't know."));
    assertEquals(List.of("I", "do", "n't", "know", "."), words("I don't know."));
    assertEquals(List.of("ca", "n't", "wo", "n't", "can", "not"), words("can't won't cannot"));
    assertEquals(List.of("Bush", "'s", "they", "'re", "I", "'m"), words("Bush's they're I'm"));
    assertEquals(List.of("students'", "books"), texts("students' books"));
  }

  @Test
  void offsetsPointAtTheTokens() {
    String text = "  Hello,  world! ";
    for (Token t : tokenizer.tokenize(text)) {
      assertEquals(t.text(), text.substring(t.start(), t.end()));
      assertEquals(t.text(), String.join("", t.words()));
    }
    assertEquals(List.of("Hello", ",", "world", "!"), texts(text));
  }

  @Test
  void strangeInputNeverThrowsAndOffsetsStayValid() {
    StringBuilder longLine = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      longLine.append((char) ('a' + i % 26));
      if (i % 1000 == 0) {
        longLine.append("-.,");
      }
    }
    String[] inputs = {
      "",
      "   \t\n ",
      "\uD83D\uDE00\uD83D\uDE00 emoji \uD83D\uDC4D!",
      "\u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD. \u0645\u0631\u062D\u0628\u0627",
      "bell\u0007 nul\u0000 esc\u001B done",
      "lone \uD800 surrogate \uDC00 here",
      longLine.toString(),
      "...!!!???",
      "'",
      "--",
      "$"
    };
    for (String in : inputs) {
      List<Token> tokens = tokenizer.tokenize(in);
      int last = 0;
      for (Token t : tokens) {
        assertTrue(t.start() >= last && t.end() > t.start() && t.end() <= in.length(), in);
        assertEquals(in.substring(t.start(), t.end()), t.text());
        last = t.end();
      }
    }
    assertEquals(List.of(), tokenizer.tokenize(""));
    assertEquals(List.of(), tokenizer.tokenize("  \t "));
  }

  @Test
  void longRepetitiveTokensAreTokenizedWithoutOverflowingTheStack() {
    // Each of these overflowed the stack in the regular expressions the tokenizer used before.
    String number = "1.".repeat(4_000);
    assertEquals(List.of(number.substring(0, number.length() - 1), "."), texts(number));
    String email = "a@b" + ".c".repeat(3_000);
    assertEquals(List.of(email), texts(email));
    String url = "http://x.com/" + "a.".repeat(30_000) + "b";
    assertEquals(List.of(url), texts(url));
    for (String unit : new String[] {"?)", ".,", "-a", "'s", "(", "a.b@", "$1", "...x"}) {
      String text = "w" + unit.repeat(20_000);
      List<Token> tokens = tokenizer.tokenize(text);
      assertEquals(text, String.join("", tokens.stream().map(Token::text).toList()), unit);
    }
  }

  @Test
  void trailingPunctuationKeepsItsOrder() {
    assertEquals(List.of("end", "?", ")", "\"", "."), texts("end?)\"."));
  }
}
