package org.streamtagger.trainer.tagger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An {@link Evaluation} as a JSON-ready map and as text for people. */
public final class EvaluationReport {
  private EvaluationReport() {}

  /** Tokens, accuracy, OOV, per-tag scores and the {@code topConfusions} largest mistakes. */
  public static Map<String, Object> asMap(Evaluation e, int topConfusions) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tokens", e.tokens());
    m.put("correct", e.correct());
    m.put("accuracy", e.accuracy());
    m.put("oov_tokens", e.oovTokens());
    m.put("oov_accuracy", e.oovAccuracy());
    m.put("seconds", e.seconds());
    m.put("tokens_per_s", e.tokens() / Math.max(1e-9, e.seconds()));
    Map<String, Object> perTag = new LinkedHashMap<>();
    e.perTag()
        .forEach(
            (tag, s) -> {
              Map<String, Object> t = new LinkedHashMap<>();
              t.put("precision", s.precision());
              t.put("recall", s.recall());
              t.put("f1", s.f1());
              t.put("support", s.support());
              perTag.put(tag, t);
            });
    m.put("per_tag", perTag);
    List<Map<String, Object>> confusions = new ArrayList<>();
    for (Evaluation.Confusion c : e.topConfusions(topConfusions)) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("gold", c.gold());
      r.put("predicted", c.predicted());
      r.put("count", c.count());
      confusions.add(r);
    }
    m.put("confusions", confusions);
    return m;
  }

  /** A few lines: accuracy, OOV accuracy, a per-tag table and the top confusions. */
  public static String text(Evaluation e, int topConfusions) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "tokens %,d  accuracy %.2f%%  unseen words %,d  accuracy on them %.2f%%%n",
            e.tokens(),
            100 * e.accuracy(),
            e.oovTokens(),
            100 * e.oovAccuracy()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%n%-8s %9s %9s %9s %9s%n",
            "tag",
            "precision",
            "recall",
            "F1",
            "support"));
    e.perTag()
        .forEach(
            (tag, s) ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        "%-8s %8.2f%% %8.2f%% %8.2f%% %,9d%n",
                        tag,
                        100 * s.precision(),
                        100 * s.recall(),
                        100 * s.f1(),
                        s.support())));
    sb.append(String.format(Locale.ROOT, "%nmost frequent confusions (gold -> predicted):%n"));
    for (Evaluation.Confusion c : e.topConfusions(topConfusions)) {
      sb.append(
          String.format(Locale.ROOT, "  %-6s -> %-6s %,6d%n", c.gold(), c.predicted(), c.count()));
    }
    return sb.toString();
  }
}
