package org.streamtagger.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.streamtagger.tagging.inference.ModelInfo;
import org.streamtagger.tagging.inference.SentenceTagger;
import org.streamtagger.tagging.inference.Tagging;

class PacedInferenceTest {
  private static final List<String> TEXTS = List.of("One sentence here.", "And another one.");

  /** Tags as the pass-through does, after sleeping: a model call of a known length. */
  private static class SlowTagger implements SentenceTagger {
    final long sleepMs;
    final List<Integer> calls = new CopyOnWriteArrayList<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();

    SlowTagger(long sleepMs) {
      this.sleepMs = sleepMs;
    }

    @Override
    public List<Tagging> tag(List<List<String>> sentences) {
      calls.add(sentences.size());
      threads.add(Thread.currentThread().getName());
      try {
        Thread.sleep(sleepMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new PassThroughTagger().tag(sentences);
    }

    @Override
    public ModelInfo model() {
      return new PassThroughTagger().model();
    }
  }

  @Test
  void measuresEverySentenceAfterTheWarmUpOnEveryLane() throws Exception {
    SlowTagger tagger = new SlowTagger(3);
    PacedInference.Result r =
        new PacedInference(tagger, TEXTS, 64)
            .run(200, 2, Duration.ofMillis(200), Duration.ofSeconds(1));
    assertEquals(200, r.latencyMicros().length);
    assertEquals(240, tagger.calls.stream().mapToInt(Integer::intValue).sum());
    assertEquals(Set.of("paced-inference-0", "paced-inference-1"), tagger.threads);
    // A sentence is done no sooner than the call that tags it.
    assertTrue(r.latencyMicros()[0] >= 3_000, "fastest " + r.latencyMicros()[0] + " µs");
    assertTrue(r.busy() > 0 && r.busy() <= 1, "busy " + r.busy());
    assertEquals(200.0, r.toMap(200).get("rate_sentences_per_s"));
  }

  @Test
  void aQueueIsTaggedInBatchesNoLargerThanTheBatchSize() throws Exception {
    // 20 ms a call at 500 sentences a second: ten arrive during each call.
    SlowTagger tagger = new SlowTagger(20);
    PacedInference.Result r =
        new PacedInference(tagger, TEXTS, 4).run(500, 1, Duration.ZERO, Duration.ofMillis(400));
    assertEquals(200, r.latencyMicros().length);
    assertTrue(tagger.calls.stream().allMatch(n -> n <= 4), "batches " + tagger.calls);
    assertTrue(tagger.calls.contains(4), "the queue should fill batches: " + tagger.calls);
    // The queue grows: the last sentences wait far longer than one call.
    assertTrue(r.percentile(1.0) > 100_000, "slowest " + r.percentile(1.0) + " µs");
  }

  @Test
  void aFailingModelFailsTheRun() {
    SentenceTagger broken =
        new SlowTagger(0) {
          @Override
          public List<Tagging> tag(List<List<String>> sentences) {
            throw new IllegalStateException("no model");
          }
        };
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                new PacedInference(broken, TEXTS, 8)
                    .run(100, 1, Duration.ZERO, Duration.ofMillis(100)));
    assertEquals("no model", e.getCause().getMessage());
  }
}
