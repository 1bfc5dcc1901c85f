package org.streamtagger.corpus;

import java.util.List;

/**
 * One sentence of a CoNLL-U file: its syntactic words (empty nodes are dropped), the multiword
 * tokens that group some of them on the surface, and the {@code # sent_id} and {@code # text}
 * comments when present.
 *
 * @param sentId value of {@code # sent_id}, or null
 * @param text value of {@code # text}, or null
 * @param words the syntactic words, IDs 1..n in order
 * @param multiwordTokens the range lines, in order
 * @param line 1-based line number of the sentence's first line in its file
 */
public record Sentence(
    String sentId, String text, List<Word> words, List<MultiwordToken> multiwordTokens, int line) {

  public Sentence {
    words = List.copyOf(words);
    multiwordTokens = List.copyOf(multiwordTokens);
  }

  /** Number of syntactic words. */
  public int size() {
    return words.size();
  }

  /** The word forms, in order. */
  public List<String> forms() {
    return words.stream().map(Word::form).toList();
  }

  /** The tags of the given column, in order. */
  public List<String> tags(TagColumn column) {
    return words.stream().map(w -> w.tag(column)).toList();
  }
}
