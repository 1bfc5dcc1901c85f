package org.streamtagger.processor.topology;

/**
 * When a micro-batch is tagged: the whole flush decision, for every processor. A batch is one model
 * call, so batching only pays while records come faster than single calls could take them; the
 * rules below make a batch as large as the input allows without making a record wait for company
 * that is not coming.
 *
 * <ul>
 *   <li><b>Full</b> ({@code maxRecords}): one call for many sentences costs far less per sentence
 *       than one call each (docs/BENCHMARKS.md), up to a size where the call itself becomes the
 *       latency.
 *   <li><b>Old</b> ({@code maxWaitMs} after the batch's first record): a bound on the wait,
 *       whatever the input does.
 *   <li><b>Quiet</b> ({@code quietMs} without a record joining): the input has gone idle, so a lone
 *       record is tagged at once instead of waiting for the bound. Records that keep coming, such
 *       as those that arrived during the previous model call, keep the batch filling.
 *   <li><b>Everything fetched</b> ({@code quietWhenFetched}): the batch holds the last record the
 *       stream thread's consumer has fetched for its partition ({@link FetchedOffsets}), so more
 *       could only come with a later poll; it is tagged without waiting out the quiet time.
 *   <li><b>Draining</b>: a clean stop tags what waits, and from then on every record at once.
 * </ul>
 *
 * @param maxRecords a batch is tagged as soon as it holds this many records
 * @param maxWaitMs and at the latest this long (wall clock) after its first record joined
 * @param quietMs or as soon as no record has joined it for this long
 * @param quietWhenFetched or as soon as it holds the last record fetched for its partition
 */
public record Batching(int maxRecords, long maxWaitMs, long quietMs, boolean quietWhenFetched) {
  public Batching {
    if (maxRecords < 1 || maxWaitMs < 1 || quietMs < 1) {
      throw new IllegalArgumentException(
          "batch size, wait and quiet time must be positive, got "
              + maxRecords
              + ", "
              + maxWaitMs
              + " and "
              + quietMs);
    }
  }

  /**
   * Whether a batch of {@code size} records is due at {@code nowMs}.
   *
   * @param firstMs when its first record joined
   * @param lastMs when its newest record joined
   * @param holdsLastFetched whether it holds the last record fetched for the partition of the
   *     record just processed (false when asked between records)
   * @param draining whether a clean stop has asked for the buffers to empty
   */
  boolean due(
      int size, long firstMs, long lastMs, long nowMs, boolean holdsLastFetched, boolean draining) {
    return size > 0
        && (size >= maxRecords
            || nowMs - firstMs >= maxWaitMs
            || nowMs - lastMs >= quietMs
            || (quietWhenFetched && holdsLastFetched)
            || draining);
  }
}
