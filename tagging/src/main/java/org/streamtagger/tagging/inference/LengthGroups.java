package org.streamtagger.tagging.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits a batch into model calls of sentences of similar length. A model call pads every sentence
 * to the longest one, and the LSTMs compute the padding too: a batch of 64 with one 100-token
 * sentence costs as much as 6,400 tokens. Sorting by length and cutting where padding would grow
 * past a quarter of the real tokens (plus a few, so that short sentences still share a call) keeps
 * the cost close to the tokens actually tagged.
 */
final class LengthGroups {
  /** Padding allowed in a group, as a fraction of its real tokens... */
  static final double SLACK = 0.25;

  /** ...plus this many tokens, so that groups of short sentences are not cut too finely. */
  static final int SLACK_TOKENS = 16;

  private LengthGroups() {}

  /**
   * Groups of indices into {@code lengths}, each sorted by length, shortest group first; every
   * index appears exactly once.
   */
  static List<int[]> of(int[] lengths) {
    Integer[] order =
        IntStream.range(0, lengths.length)
            .boxed()
            .sorted(Comparator.comparingInt(i -> lengths[i]))
            .toArray(Integer[]::new);
    List<int[]> groups = new ArrayList<>();
    int start = 0;
    long real = 0;
    for (int i = 0; i < order.length; i++) {
      int length = lengths[order[i]];
      long padded = (long) (i - start + 1) * length; // sorted: this one is the longest so far
      if (i > start && padded - (real + length) > SLACK * (real + length) + SLACK_TOKENS) {
        groups.add(slice(order, start, i));
        start = i;
        real = 0;
      }
      real += length;
    }
    if (order.length > 0) {
      groups.add(slice(order, start, order.length));
    }
    return groups;
  }

  private static int[] slice(Integer[] order, int from, int to) {
    int[] group = new int[to - from];
    for (int i = from; i < to; i++) {
      group[i - from] = order[i];
    }
    return group;
  }
}
