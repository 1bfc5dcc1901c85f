package org.streamtagger.tagging.inference;

import java.util.List;

/** Tags batches of tokenized sentences. Implementations are safe to call from many threads. */
public interface SentenceTagger {

  /**
   * Tags every sentence of a batch in one go.
   *
   * @param sentences each a non-empty list of non-empty tokens
   * @return one {@link Tagging} per sentence, in order
   * @throws IllegalArgumentException naming the sentence and token that cannot be tagged
   */
  List<Tagging> tag(List<List<String>> sentences);

  /** Name and version of the model behind it. */
  ModelInfo model();
}
