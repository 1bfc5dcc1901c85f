package org.streamtagger.trainer.nn;

import java.util.Map;
import java.util.random.RandomGenerator;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;

/**
 * The character-level word representation of the tutorial's exercise: each word's characters go
 * through an embedding and an LSTM (or BiLSTM), and the final hidden state(s) stand for the word.
 * All words of a batch run through the LSTM together, padded to the longest.
 */
public final class CharEncoder implements Module {
  /** Character id reserved for padding; it never reaches the LSTM thanks to the lengths. */
  public static final int PAD = 0;

  private final Embedding embedding;
  private final Recurrent lstm;

  public CharEncoder(
      int charVocabulary, int charDim, int hidden, boolean bidirectional, RandomGenerator random) {
    embedding = new Embedding(charVocabulary, charDim, random);
    lstm = Recurrent.create(charDim, hidden, bidirectional, random);
  }

  /**
   * Encodes words given as character ids.
   *
   * @param words {@code words[w]} holds the character ids of word {@code w}, at least one
   * @return {@code [words.length, outputDim]}
   */
  public Tensor forward(Tape tape, int[][] words) {
    int maxLen = 1;
    for (int[] w : words) {
      maxLen = Math.max(maxLen, w.length);
    }
    int[] ids = new int[words.length * maxLen]; // [W, L], PAD beyond each word
    int[] lengths = new int[words.length];
    for (int w = 0; w < words.length; w++) {
      if (words[w].length == 0) {
        throw new IllegalArgumentException("word " + w + " has no characters");
      }
      System.arraycopy(words[w], 0, ids, w * maxLen, words[w].length);
      lengths[w] = words[w].length;
    }
    Tensor x = embedding.forward(tape, ids).view(words.length, maxLen, embedding.dim());
    return lstm.forward(tape, x, lengths).last();
  }

  public int outputDim() {
    return lstm.outputDim();
  }

  @Override
  public Map<String, Tensor> parameters() {
    Map<String, Tensor> p = Module.ordered();
    Module.collect(p, "embedding", embedding);
    Module.collect(p, "lstm", lstm);
    return p;
  }
}
