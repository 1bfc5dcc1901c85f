package org.streamtagger.tagging.tokenize;

import java.util.List;

/**
 * A surface token of a text and the syntactic words it stands for (usually just itself; a
 * contraction like {@code don't} stands for {@code do} and {@code n't}, as a CoNLL-U multiword
 * token does).
 *
 * @param text the characters of the token, {@code text.equals(source.substring(start, end))}
 * @param start offset of its first UTF-16 char in the source text
 * @param end offset just past its last char
 * @param words the words to tag, concatenated they spell {@code text}
 */
public record Token(String text, int start, int end, List<String> words) {

  public Token {
    words = List.copyOf(words);
  }

  /** A token that is a single word. */
  public static Token of(String source, int start, int end) {
    String t = source.substring(start, end);
    return new Token(t, start, end, List.of(t));
  }
}
