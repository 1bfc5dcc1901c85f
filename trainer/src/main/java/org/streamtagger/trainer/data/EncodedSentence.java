package org.streamtagger.trainer.data;

/**
 * A sentence as the model reads it.
 *
 * @param words word ids {@code [n]}
 * @param chars character ids of each word {@code [n][len]}, truncated to the model's limit
 * @param tags gold tag ids {@code [n]}, -1 where the gold tag is unknown to the model (or absent)
 * @param unseen which words never occurred in the model's training data (out of vocabulary in the
 *     strict sense: not even as a rare word mapped to {@code <unk>})
 */
public record EncodedSentence(int[] words, int[][] chars, int[] tags, boolean[] unseen) {

  public int length() {
    return words.length;
  }
}
