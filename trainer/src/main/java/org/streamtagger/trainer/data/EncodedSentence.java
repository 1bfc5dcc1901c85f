package org.streamtagger.trainer.data;

/**
 * A sentence as the model reads it.
 *
 * @param words word ids {@code [n]}
 * @param chars character ids of each word {@code [n][len]}, truncated to the model's limit
 * @param tags gold tag ids {@code [n]}, -1 where the gold tag is unknown to the model (or absent)
 */
public record EncodedSentence(int[] words, int[][] chars, int[] tags) {

  public int length() {
    return words.length;
  }
}
