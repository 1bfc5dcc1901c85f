package org.streamtagger.trainer.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed, ordered list of symbols with their ids. Built from training data in first-occurrence
 * order after any special symbols, so the same data always gives the same ids.
 */
public final class Vocabulary {
  public static final String PAD = "<pad>";
  public static final String UNK = "<unk>";

  private final List<String> symbols;
  private final Map<String, Integer> ids;
  private final int unkId;

  /**
   * A vocabulary of exactly these symbols, in this order.
   *
   * @throws IllegalArgumentException if a symbol appears twice
   */
  public Vocabulary(List<String> symbols) {
    this.symbols = List.copyOf(symbols);
    this.ids = new HashMap<>(symbols.size() * 2);
    for (int i = 0; i < symbols.size(); i++) {
      if (ids.put(symbols.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate symbol in vocabulary: " + symbols.get(i));
      }
    }
    this.unkId = ids.getOrDefault(UNK, -1);
  }

  /**
   * Specials first, then every symbol seen at least {@code minCount} times, in order of first
   * occurrence.
   */
  public static Vocabulary build(
      Iterable<String> occurrences, int minCount, List<String> specials) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String s : occurrences) {
      counts.merge(s, 1, Integer::sum);
    }
    List<String> symbols = new ArrayList<>(specials);
    counts.forEach(
        (s, n) -> {
          if (n >= minCount && !specials.contains(s)) {
            symbols.add(s);
          }
        });
    return new Vocabulary(symbols);
  }

  /** The id of {@code symbol}, or the {@code <unk>} id, or -1 when there is no {@code <unk>}. */
  public int id(String symbol) {
    Integer id = ids.get(symbol);
    return id != null ? id : unkId;
  }

  public boolean contains(String symbol) {
    return ids.containsKey(symbol);
  }

  public String symbol(int id) {
    return symbols.get(id);
  }

  public int size() {
    return symbols.size();
  }

  /** The id of {@code <unk>}, or -1 when this vocabulary has none. */
  public int unkId() {
    return unkId;
  }

  public List<String> symbols() {
    return symbols;
  }
}
