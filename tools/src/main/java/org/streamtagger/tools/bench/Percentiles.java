package org.streamtagger.tools.bench;

/** Nearest-rank percentiles of the benchmark's measurements. */
final class Percentiles {
  private Percentiles() {}

  /** The value at quantile {@code q} (0 to 1) of {@code sorted}, ascending; -1 when empty. */
  static long of(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }
}
