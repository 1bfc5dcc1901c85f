package org.streamtagger.trainer.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The threads the kernels may use. One process-wide pool: the trainer sets its size once from
 * {@code --threads}; kernels split work over it and the calling thread takes a share itself.
 */
public final class Parallel {
  private static volatile int threads = 1;
  private static volatile ExecutorService pool;

  /** Set while a thread runs a share of parallel work: nested work then stays on that thread. */
  private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

  private Parallel() {}

  /** Uses {@code n} threads (the caller included) from now on. */
  public static synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + n);
    }
    if (pool != null) {
      pool.shutdown();
      pool = null;
    }
    threads = n;
    if (n > 1) {
      pool =
          Executors.newFixedThreadPool(
              n - 1,
              r -> {
                Thread t = new Thread(r, "tagger-kernel");
                t.setDaemon(true);
                return t;
              });
    }
  }

  public static int threads() {
    return threads;
  }

  /** A range worker: handles {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeTask {
    void run(int from, int to);
  }

  /**
   * Splits {@code [0, n)} into one chunk per thread, chunk sizes multiples of {@code grain}, and
   * runs them, the last on the calling thread.
   */
  public static void forRange(int n, int grain, RangeTask task) {
    int t = threads;
    ExecutorService p = pool;
    if (t == 1 || p == null || n <= grain || INSIDE.get()) {
      task.run(0, n);
      return;
    }
    int chunk = ((n + t - 1) / t + grain - 1) / grain * grain;
    List<Future<?>> futures = new ArrayList<>(t - 1);
    int from = 0;
    while (from + chunk < n) {
      int f = from;
      futures.add(p.submit(() -> inside(() -> task.run(f, f + chunk))));
      from += chunk;
    }
    int last = from;
    inside(() -> task.run(last, n));
    await(futures);
  }

  /** Runs independent tasks, the last on the calling thread; returns their results in order. */
  public static <T> List<T> all(List<Callable<T>> tasks) {
    ExecutorService p = pool;
    List<T> results = new ArrayList<>(tasks.size());
    if (threads == 1 || p == null || tasks.size() == 1 || INSIDE.get()) {
      for (Callable<T> c : tasks) {
        results.add(call(c));
      }
      return results;
    }
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < tasks.size() - 1; i++) {
      Callable<T> task = tasks.get(i);
      futures.add(p.submit(() -> insideCall(task)));
    }
    T last = insideCall(tasks.get(tasks.size() - 1));
    for (Future<T> f : futures) {
      results.add(get(f));
    }
    results.add(last);
    return results;
  }

  private static void inside(Runnable r) {
    INSIDE.set(true);
    try {
      r.run();
    } finally {
      INSIDE.set(false);
    }
  }

  private static <T> T insideCall(Callable<T> c) {
    INSIDE.set(true);
    try {
      return call(c);
    } finally {
      INSIDE.set(false);
    }
  }

  private static <T> T call(Callable<T> c) {
    try {
      return c.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(List<Future<?>> futures) {
    for (Future<?> f : futures) {
      get(f);
    }
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
