package org.streamtagger.tools.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.streamtagger.tagging.inference.ModelInfo;
import org.streamtagger.tagging.inference.SentenceTagger;
import org.streamtagger.tagging.inference.Tagging;

/** A stand-in for the model that tags every word "X" at once: the pipeline without tagging. */
final class PassThroughTagger implements SentenceTagger {
  @Override
  public List<Tagging> tag(List<List<String>> sentences) {
    List<Tagging> out = new ArrayList<>(sentences.size());
    for (List<String> s : sentences) {
      float[] conf = new float[s.size()];
      Arrays.fill(conf, 1f);
      out.add(new Tagging(java.util.Collections.nCopies(s.size(), "X"), conf, new float[0][]));
    }
    return out;
  }

  @Override
  public ModelInfo model() {
    return new ModelInfo("pass-through", "0", "UPOS", List.of("X"), 32, Map.of());
  }
}
