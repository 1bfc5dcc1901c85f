package org.streamtagger.processor.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.streamtagger.tagging.inference.ModelInfo;
import org.streamtagger.tagging.inference.SentenceTagger;
import org.streamtagger.tagging.inference.Tagging;

/**
 * What a loaded candidate must pass before it replaces the served model (loading already checked
 * its inputs, outputs and required metadata): the same tag column and tag set, so that readers of
 * the output topic get the tags they expect, and a canary batch that tags: a tag of the set and a
 * confidence in [0, 1] for every word, short, long and odd sentences alike.
 */
final class CandidateCheck {
  /**
   * A batch as the stream sends them: mixed lengths, a contraction, a long word, non-Latin text.
   */
  static final List<List<String>> CANARY =
      List.of(
          List.of("The", "dog", "ate", "the", "apple", "."),
          List.of("I", "do", "n't", "know", "."),
          List.of("Hi"),
          List.of("Zürich", "'s", "café", "opened", "at", "9:30", "on", "2026-12-02", "!"),
          List.of("x".repeat(300), "東京", "👍", "@user", "https://example.com/a?b=c"));

  private CandidateCheck() {}

  /** Why the candidate may not replace the served model, or null if it may. */
  static String refusal(SentenceTagger candidate, ModelInfo serving) {
    ModelInfo c = candidate.model();
    if (!c.tagColumn().equals(serving.tagColumn())) {
      return "it tags " + c.tagColumn() + ", the served model " + serving.tagColumn();
    }
    Set<String> tags = new TreeSet<>(c.tags());
    Set<String> expected = new TreeSet<>(serving.tags());
    if (!tags.equals(expected)) {
      Set<String> extra = new TreeSet<>(tags);
      extra.removeAll(expected);
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(tags);
      return "its tag set differs from the served model's (extra "
          + extra
          + ", missing "
          + missing
          + ")";
    }
    List<Tagging> out;
    try {
      out = candidate.tag(CANARY);
    } catch (RuntimeException e) {
      return "the canary batch failed: " + e;
    }
    if (out.size() != CANARY.size()) {
      return "the canary batch of " + CANARY.size() + " gave " + out.size() + " results";
    }
    List<String> wrong = new ArrayList<>();
    for (int s = 0; s < CANARY.size(); s++) {
      Tagging t = out.get(s);
      int words = CANARY.get(s).size();
      if (t.tags().size() != words || t.confidence().length != words) {
        wrong.add("sentence " + s + ": " + t.tags().size() + " tags for " + words + " words");
        continue;
      }
      for (int w = 0; w < words; w++) {
        float p = t.confidence()[w];
        if (!tags.contains(t.tags().get(w)) || !(p >= 0f && p <= 1f)) {
          wrong.add(
              "sentence " + s + " word " + w + ": tag " + t.tags().get(w) + ", confidence " + p);
        }
      }
    }
    return wrong.isEmpty() ? null : "the canary batch came out wrong: " + wrong;
  }
}
