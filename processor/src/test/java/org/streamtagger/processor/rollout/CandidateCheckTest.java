package org.streamtagger.processor.rollout;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.streamtagger.tagging.inference.InferenceOptions;
import org.streamtagger.tagging.inference.ModelInfo;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.tagging.inference.SentenceTagger;
import org.streamtagger.tagging.inference.Tagging;

class CandidateCheckTest {
  private static final ModelInfo UPOS_AB =
      new ModelInfo("m", "1", "UPOS", List.of("A", "B"), 32, Map.of());

  /** Tags with what {@code answer} gives, under {@code info}. */
  private record Scripted(ModelInfo info, java.util.function.Function<List<String>, Tagging> answer)
      implements SentenceTagger {
    @Override
    public List<Tagging> tag(List<List<String>> sentences) {
      return sentences.stream().map(answer).toList();
    }

    @Override
    public ModelInfo model() {
      return info;
    }
  }

  private static Tagging all(String tag, float p, List<String> words) {
    float[] c = new float[words.size()];
    java.util.Arrays.fill(c, p);
    return new Tagging(words.stream().map(w -> tag).toList(), c, null);
  }

  @Test
  void theBundledModelPassesAgainstItself() throws Exception {
    try (OnnxTagger bundled = OnnxTagger.bundled(InferenceOptions.defaults())) {
      assertNull(CandidateCheck.refusal(bundled, bundled.model()));
    }
  }

  @Test
  void anotherColumnOrTagSetIsRefused() {
    var xpos =
        new Scripted(
            new ModelInfo("m", "2", "XPOS", List.of("A", "B"), 32, Map.of()), w -> all("A", 1, w));
    assertTrue(
        CandidateCheck.refusal(xpos, UPOS_AB).contains("it tags XPOS, the served model UPOS"));
    var other =
        new Scripted(
            new ModelInfo("m", "2", "UPOS", List.of("A", "C"), 32, Map.of()), w -> all("A", 1, w));
    String why = CandidateCheck.refusal(other, UPOS_AB);
    assertTrue(why.contains("extra [C], missing [B]"), why);
  }

  @Test
  void aCanaryBatchThatFailsOrComesOutWrongIsRefused() {
    var throwing =
        new Scripted(
            UPOS_AB,
            w -> {
              throw new IllegalStateException("kernel failed");
            });
    assertTrue(CandidateCheck.refusal(throwing, UPOS_AB).contains("kernel failed"));
    var nan = new Scripted(UPOS_AB, w -> all("A", Float.NaN, w));
    assertTrue(CandidateCheck.refusal(nan, UPOS_AB).contains("confidence NaN"));
    var unknownTag = new Scripted(UPOS_AB, w -> all("Z", 0.5f, w));
    assertTrue(CandidateCheck.refusal(unknownTag, UPOS_AB).contains("tag Z"));
    var short1 = new Scripted(UPOS_AB, w -> all("A", 0.5f, w.subList(0, 1)));
    assertTrue(CandidateCheck.refusal(short1, UPOS_AB).contains("tags for"));
    var fine = new Scripted(UPOS_AB, w -> all("B", 0.5f, w));
    assertNull(CandidateCheck.refusal(fine, UPOS_AB));
  }
}
