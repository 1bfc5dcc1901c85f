package org.streamtagger.processor.broker;

import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.streamtagger.avro.Sentence;
import org.streamtagger.processor.serde.SentenceCodec;

/**
 * Sends Avro sentences at a steady rate from a thread of its own until stopped: keys {@code k0 ..
 * k(keys-1)} in turn, ids {@code k<key>-<seq>} counting per key, so a reader can check that each
 * key's records come out in order. Each send waits for the broker's acknowledgement.
 */
final class PacedFeeder implements AutoCloseable {
  private final Set<String> sent = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean feeding = new AtomicBoolean(true);
  private final Thread thread;

  PacedFeeder(StreamHarness h, String topic, int keys, int ratePerS) {
    thread =
        new Thread(
            () -> {
              int[] seq = new int[keys];
              long next = System.nanoTime();
              try {
                for (int i = 0; feeding.get(); i++) {
                  int key = i % keys;
                  String id = "k" + key + "-" + seq[key]++;
                  h.send(
                      topic,
                      "k" + key,
                      SentenceCodec.encodeAvro(
                          new Sentence(
                              id, "Record " + i + " goes through.", null, null, new HashMap<>())));
                  sent.add(id);
                  next += TimeUnit.SECONDS.toNanos(1) / ratePerS;
                  long wait = next - System.nanoTime();
                  if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "feeder");
  }

  void start() {
    thread.start();
  }

  /** The ids sent (acknowledged) so far. */
  Set<String> sent() {
    return sent;
  }

  /** Stops sending and waits for the thread. */
  @Override
  public void close() throws InterruptedException {
    feeding.set(false);
    if (thread.isAlive()) {
      thread.join();
    }
  }
}
