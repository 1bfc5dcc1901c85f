package org.streamtagger.processor.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.streamtagger.tagging.inference.ModelInfo;
import org.streamtagger.tagging.inference.SentenceTagger;
import org.streamtagger.tagging.inference.Tagging;

/**
 * Tags a word CAP when it starts upper case, else LOW; fails on the word "boom" (an exception) and
 * on "overflow" (a stack overflow), as a model might on a sentence it cannot handle.
 */
final class FakeTagger implements SentenceTagger {
  int calls;

  /** Real time each call takes (a model's cost). */
  long callMillis;

  @Override
  public List<Tagging> tag(List<List<String>> sentences) {
    calls++;
    if (callMillis > 0) {
      try {
        Thread.sleep(callMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<Tagging> out = new ArrayList<>();
    for (List<String> s : sentences) {
      if (s.contains("boom")) {
        throw new IllegalStateException("the model failed on 'boom'");
      }
      if (s.contains("overflow")) {
        throw new StackOverflowError();
      }
      List<String> tags = new ArrayList<>();
      float[] conf = new float[s.size()];
      for (int i = 0; i < s.size(); i++) {
        tags.add(Character.isUpperCase(s.get(i).codePointAt(0)) ? "CAP" : "LOW");
        conf[i] = 1f;
      }
      out.add(new Tagging(tags, conf, new float[s.size()][0]));
    }
    return out;
  }

  @Override
  public ModelInfo model() {
    return new ModelInfo("fake", "1", "UPOS", List.of("CAP", "LOW"), 32, Map.of());
  }
}
