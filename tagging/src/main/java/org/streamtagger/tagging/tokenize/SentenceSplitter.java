package org.streamtagger.tagging.tokenize;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a tokenized text into sentences: after a token of terminal punctuation ({@code .}, {@code
 * !}, {@code ?}, {@code ...} and runs of them), together with any closing quotes or brackets that
 * follow it, when the next token does not start in lower case. Abbreviations keep their period
 * inside the token ({@code Mr.}), so they never end a sentence here; a line break followed by a
 * blank line always does.
 */
public final class SentenceSplitter {
  private static final String CLOSERS = ")]}\"'”’»";

  /** The sentences of {@code tokens} (which came from {@code text}), in order; none if empty. */
  public List<List<Token>> split(String text, List<Token> tokens) {
    List<List<Token>> out = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      current.add(t);
      boolean end = false;
      if (isTerminal(t.text())) {
        int j = i + 1;
        while (j < tokens.size() && isCloser(tokens.get(j).text())) {
          current.add(tokens.get(j));
          j++;
        }
        i = j - 1;
        end = j >= tokens.size() || !startsLowerCase(tokens.get(j).text());
      } else if (i + 1 < tokens.size()
          && paragraphBreak(text, t.end(), tokens.get(i + 1).start())) {
        end = true;
      }
      if (end) {
        out.add(current);
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private static boolean isTerminal(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '.' && c != '!' && c != '?' && c != '…') {
        return false;
      }
    }
    return true;
  }

  private static boolean isCloser(String s) {
    return s.length() == 1 && CLOSERS.indexOf(s.charAt(0)) >= 0;
  }

  private static boolean startsLowerCase(String s) {
    return Character.isLowerCase(s.codePointAt(0));
  }

  private static boolean paragraphBreak(String text, int from, int to) {
    int newlines = 0;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '\n') {
        newlines++;
      }
    }
    return newlines >= 2;
  }
}
