package org.streamtagger.tagging.inference;

import java.util.ArrayList;
import java.util.List;
import org.streamtagger.tagging.tokenize.Token;

/**
 * A raw text and the tokens the tokenizer made of it, before tagging: what a caller can check (no
 * tokens, too many words) before the model is asked.
 *
 * @param text the input
 * @param tokens its surface tokens, in order
 */
public record TokenizedText(String text, List<Token> tokens) {

  public TokenizedText {
    tokens = List.copyOf(tokens);
  }

  /** The words the model tags: each token's words, a contraction's several. */
  public List<String> words() {
    List<String> words = new ArrayList<>(tokens.size());
    for (Token t : tokens) {
      words.addAll(t.words());
    }
    return words;
  }

  /** How many words the model tags, without listing them. */
  public int wordCount() {
    int n = 0;
    for (Token t : tokens) {
      n += t.words().size();
    }
    return n;
  }
}
