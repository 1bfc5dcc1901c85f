package org.streamtagger.processor.topology;

/**
 * The share of a stream thread's recent time spent in model calls, as an exponentially weighted
 * average over about half a second. One per stream thread, shared by the tasks it runs: they take
 * turns on the same core.
 *
 * <p>With {@code tagger.batch.busy.share} below 1 (not the default), it decides whether a batch
 * should wait for company: a thread whose model is busy waits up to the batch's maximum wait, for
 * larger batches; an idle one tags a record as soon as the input goes quiet.
 */
final class ModelLoad {
  private static final double TIME_CONSTANT_NANOS = 500e6;

  private double share;
  private long updatedNanos;

  ModelLoad(long nowNanos) {
    updatedNanos = nowNanos;
  }

  /** One load per thread, for the processors of one topology. */
  static ThreadLocal<ModelLoad> perThread() {
    return ThreadLocal.withInitial(() -> new ModelLoad(System.nanoTime()));
  }

  /** Counts a model call that ran from {@code startNanos} to {@code endNanos}. */
  void called(long startNanos, long endNanos) {
    double idle = Math.max(0, startNanos - updatedNanos);
    double busy = Math.max(0, endNanos - Math.max(startNanos, updatedNanos));
    share = decay(decay(share, idle), busy) + (1 - Math.exp(-busy / TIME_CONSTANT_NANOS));
    updatedNanos = Math.max(updatedNanos, endNanos);
  }

  /** The share at {@code nowNanos} (0: idle, 1: always calling the model). */
  double share(long nowNanos) {
    return decay(share, Math.max(0, nowNanos - updatedNanos));
  }

  /** Whether the share at {@code nowNanos} is at least {@code threshold}. */
  boolean busy(long nowNanos, double threshold) {
    return threshold < 1 && share(nowNanos) >= threshold;
  }

  private static double decay(double value, double nanos) {
    return value * Math.exp(-nanos / TIME_CONSTANT_NANOS);
  }
}
