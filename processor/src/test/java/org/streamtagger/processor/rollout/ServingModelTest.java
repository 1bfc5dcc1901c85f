package org.streamtagger.processor.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.streamtagger.tagging.inference.ModelInfo;
import org.streamtagger.tagging.inference.SentenceTagger;
import org.streamtagger.tagging.inference.Tagging;

class ServingModelTest {
  /** A model that tags every word with its own name and knows whether it was closed. */
  record Named(String name, List<String> tags, AtomicBoolean closed)
      implements SentenceTagger, AutoCloseable {
    Named(String name) {
      this(name, List.of("A", "B"), new AtomicBoolean());
    }

    @Override
    public List<Tagging> tag(List<List<String>> sentences) {
      return sentences.stream()
          .map(
              s ->
                  new Tagging(s.stream().map(w -> tags.get(0)).toList(), new float[s.size()], null))
          .toList();
    }

    @Override
    public ModelInfo model() {
      return new ModelInfo(name, "1", "UPOS", tags, 32, Map.of());
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  @Test
  void aBatchKeepsItsModelAcrossASwapAndTheOldOneClosesWhenTheLastBatchEnds() {
    Named first = new Named("first");
    Named second = new Named("second");
    ServingModel serving = new ServingModel(first, first, null);
    ServingModel.Lease running = serving.acquire();
    serving.swap(second, second, "s2");
    assertSame(first, running.tagger(), "the batch under way keeps its model");
    assertEquals("second", serving.info().name(), "the next batch gets the new one");
    assertEquals("s2", serving.sha256());
    assertFalse(first.closed().get(), "not closed while a batch holds it");
    try (ServingModel.Lease next = serving.acquire()) {
      assertSame(second, next.tagger());
    }
    running.close();
    running.close(); // twice is once
    assertTrue(first.closed().get(), "closed with its last batch");
    assertFalse(second.closed().get());
    serving.close();
    assertTrue(second.closed().get());
  }

  @Test
  void anUnusedModelClosesAtTheSwap() {
    Named first = new Named("first");
    ServingModel serving = new ServingModel(first, first, null);
    assertNull(serving.sha256());
    serving.swap(new Named("second"), null, null);
    assertTrue(first.closed().get());
  }

  @Test
  void aLabelledModelShowsTheAnnouncedNameAndVersion() {
    SentenceTagger l = ServingModel.Labelled.of(new Named("m"), "ewt-upos", "7");
    assertEquals("ewt-upos", l.model().name());
    assertEquals("7", l.model().version());
    assertEquals(List.of("A", "B"), l.model().tags());
  }
}
