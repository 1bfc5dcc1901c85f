package org.streamtagger.tagging.inference;

import java.util.List;

/**
 * A raw text, tokenized and tagged.
 *
 * @param text the input
 * @param words every word with its tag, in order
 */
public record TaggedText(String text, List<Word> words) {

  public TaggedText {
    words = List.copyOf(words);
  }

  /**
   * One tagged word.
   *
   * @param word the word as tagged
   * @param tag its tag
   * @param confidence the probability the model gave the tag
   * @param start offset of its first char in the text
   * @param end offset just past its last char
   * @param token index of the surface token it belongs to (a contraction's words share one)
   */
  public record Word(String word, String tag, float confidence, int start, int end, int token) {}
}
