package org.streamtagger.tagging.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthGroupsTest {

  @Test
  void sentencesOfOneLengthShareOneCall() {
    int[] lengths = new int[64];
    Arrays.fill(lengths, 12);
    List<int[]> groups = LengthGroups.of(lengths);
    assertEquals(1, groups.size());
    assertEquals(64, groups.get(0).length);
  }

  @Test
  void aLongSentenceDoesNotPadTheShortOnes() {
    int[] lengths = new int[64];
    Arrays.fill(lengths, 5);
    lengths[17] = 100;
    List<int[]> groups = LengthGroups.of(lengths);
    assertEquals(2, groups.size());
    assertEquals(63, groups.get(0).length);
    assertArrayEquals(new int[] {17}, groups.get(1));
  }

  @Test
  void everySentenceOnceAndPaddingBounded() {
    Random random = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      int[] lengths = new int[1 + random.nextInt(80)];
      for (int i = 0; i < lengths.length; i++) {
        lengths[i] = 1 + (int) Math.abs(random.nextGaussian() * 20);
      }
      boolean[] seen = new boolean[lengths.length];
      for (int[] group : LengthGroups.of(lengths)) {
        long real = 0;
        int longest = 0;
        for (int i = 0; i < group.length; i++) {
          assertTrue(!seen[group[i]], "index " + group[i] + " twice");
          seen[group[i]] = true;
          assertTrue(i == 0 || lengths[group[i - 1]] <= lengths[group[i]], "not sorted");
          real += lengths[group[i]];
          longest = Math.max(longest, lengths[group[i]]);
        }
        long padding = (long) group.length * longest - real;
        assertTrue(
            group.length == 1 || padding <= LengthGroups.SLACK * real + LengthGroups.SLACK_TOKENS,
            "padding " + padding + " for " + real + " tokens");
      }
      for (int i = 0; i < seen.length; i++) {
        assertTrue(seen[i], "index " + i + " missing");
      }
    }
  }

  @Test
  void anEmptyBatchHasNoCalls() {
    assertEquals(0, LengthGroups.of(new int[0]).size());
  }
}
