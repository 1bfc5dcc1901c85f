package org.streamtagger.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.streamtagger.tools.bench.BenchStreamCommand.Order;

class LatencyOrderTest {
  private static final List<String> TEXTS =
      IntStream.range(0, 200).mapToObj(i -> "sentence " + i).toList();

  @Test
  void theShuffledOrderSendsEverySentenceOnceInTheSameSequenceEveryRun() {
    List<String> first = BenchStreamCommand.inLatencyOrder(TEXTS, Order.shuffled);
    assertNotEquals(TEXTS, first);
    List<String> sorted = new ArrayList<>(first);
    sorted.sort((a, b) -> Integer.compare(TEXTS.indexOf(a), TEXTS.indexOf(b)));
    assertEquals(TEXTS, sorted);
    assertEquals(first, BenchStreamCommand.inLatencyOrder(TEXTS, Order.shuffled));
  }

  @Test
  void theDocumentOrderKeepsTheFilesOrder() {
    assertEquals(TEXTS, BenchStreamCommand.inLatencyOrder(TEXTS, Order.document));
  }
}
