package org.streamtagger.trainer.retrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model card of a retraining job, as {@code model-card.json} (everything the job recorded) and
 * {@code model-card.md} (the same for people): the data, the recipe and sizes, each member's
 * training and its pictures, dev and test accuracy of the candidate and of the model it would
 * replace, per-tag scores, the inference cost, and the gate's decision.
 */
final class ModelCard {
  static final String MARKDOWN = "model-card.md";
  static final String JSON = "model-card.json";

  private ModelCard() {}

  @SuppressWarnings("unchecked")
  static Path write(Path dir, Map<String, Object> state, RetrainPlan plan) throws IOException {
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve(JSON).toFile(), state);
    Map<String, Object> done = (Map<String, Object>) state.get("done");
    Map<String, Object> export = (Map<String, Object>) done.get("export");
    Map<String, Object> eval = (Map<String, Object>) done.get("evaluate");
    Map<String, Object> candidate = (Map<String, Object>) eval.get("candidate");
    Map<String, Object> baseline = (Map<String, Object>) eval.get("baseline");
    Map<String, Object> gate = (Map<String, Object>) state.get("gate");
    Map<String, Object> data = (Map<String, Object>) state.get("data");

    StringBuilder md = new StringBuilder();
    md.append("# Model card: ")
        .append(export.get("name"))
        .append(':')
        .append(export.get("version"))
        .append("\n\n");
    md.append(
            Boolean.TRUE.equals(gate.get("accepted"))
                ? "**Accepted** by the quality gate: "
                : "**Refused** by the quality gate: ")
        .append(gate.get("reason"))
        .append(".\n\n");

    md.append("## Data\n\n| set | file | sentences | tokens | sha256 |\n|---|---|---|---|---|\n");
    for (var e : data.entrySet()) {
      Map<String, Object> d = (Map<String, Object>) e.getValue();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,d | %,d | `%s` |%n",
              e.getKey(),
              Path.of((String) d.get("file")).getFileName(),
              ((Number) d.get("sentences")).intValue(),
              ((Number) d.get("tokens")).intValue(),
              d.get("sha256")));
    }

    md.append("\n## Model\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "An ensemble of %s `%s` taggers (tag probabilities averaged), weights in half"
                + " precision: %,d parameters; %,d words, %,d characters, %d tags; `%s`, %,d bytes,"
                + " sha256 `%s`.%n%n",
            export.get("members"),
            plan.preset(),
            ((Number) export.get("parameters")).longValue(),
            ((Number) export.get("words")).intValue(),
            ((Number) export.get("chars")).intValue(),
            ((Number) export.get("tags")).intValue(),
            export.get("file"),
            ((Number) export.get("bytes")).longValue(),
            export.get("sha256")));
    md.append(
        "| member | changes | parameters | epochs | best epoch | best dev | training |"
            + " pictures |\n|---|---|---|---|---|---|---|---|\n");
    for (RetrainPlan.Member m : plan.members()) {
      Map<String, Object> r = (Map<String, Object>) done.get(m.name());
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,d | %s | %s | %s | %s | [training](%s/training.png),"
                  + " [confusion](%s/confusion-dev.png) |%n",
              m.name(),
              m.overrides().isEmpty() ? "the preset" : m.overrides(),
              ((Number) r.get("parameters")).longValue(),
              r.get("epochs"),
              r.get("best_epoch"),
              percent(r.get("best_dev_accuracy")),
              JobProgress.duration(((Number) r.get("training_seconds")).doubleValue()),
              m.name(),
              m.name()));
    }
    Map<String, Object> ensemble = (Map<String, Object>) done.get("ensemble");
    md.append(
        String.format(
            Locale.ROOT,
            "%nThe ensemble on dev (Java engine): %s before rounding to half precision, %s"
                + " after.%n",
            percent(ensemble.get("dev_accuracy_before_fp16")),
            percent(ensemble.get("dev_accuracy"))));

    md.append("\n## Accuracy (ONNX Runtime, gold tokens)\n\n");
    md.append(
        "| model | dev | dev, unseen words | test | test, unseen words |\n|---|---|---|---|---|\n");
    row(md, "candidate", candidate);
    row(md, "baseline (" + baseline.get("model") + ")", baseline);

    md.append(
        "\n## Per tag (candidate)\n\n| tag | dev precision | dev recall | dev F1 | dev support |");
    boolean test = candidate.containsKey("test");
    md.append(
        test
            ? " test F1 | test support |\n|---|---|---|---|---|---|---|\n"
            : "\n|---|---|---|---|---|\n");
    Map<String, Object> devTags =
        (Map<String, Object>) ((Map<String, Object>) candidate.get("dev")).get("per_tag");
    Map<String, Object> testTags =
        test
            ? (Map<String, Object>) ((Map<String, Object>) candidate.get("test")).get("per_tag")
            : Map.of();
    for (var e : devTags.entrySet()) {
      Map<String, Object> s = (Map<String, Object>) e.getValue();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %,d |",
              e.getKey(),
              percent(s.get("precision")),
              percent(s.get("recall")),
              percent(s.get("f1")),
              ((Number) s.get("support")).longValue()));
      if (test) {
        Map<String, Object> t = (Map<String, Object>) testTags.get(e.getKey());
        md.append(
            t == null
                ? " | |"
                : String.format(
                    Locale.ROOT,
                    " %s | %,d |",
                    percent(t.get("f1")),
                    ((Number) t.get("support")).longValue()));
      }
      md.append('\n');
    }

    md.append("\n## Inference cost (ONNX Runtime, one intra-op thread, dev sentences)\n\n");
    md.append("| model | tokens/s, batch 64 | tokens/s, batch 1 |\n|---|---|---|\n");
    for (var who : List.of(Map.entry("candidate", candidate), Map.entry("baseline", baseline))) {
      Map<String, Object> c = (Map<String, Object>) who.getValue().get("inference");
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %,.0f |%n",
              who.getKey(),
              ((Number) c.get("tokens_per_s_batch_64")).doubleValue(),
              ((Number) c.get("tokens_per_s_batch_1")).doubleValue()));
    }
    Path file = dir.resolve(MARKDOWN);
    Files.writeString(file, md, StandardCharsets.UTF_8);
    return file;
  }

  @SuppressWarnings("unchecked")
  private static void row(StringBuilder md, String who, Map<String, Object> scores) {
    Map<String, Object> dev = (Map<String, Object>) scores.get("dev");
    Map<String, Object> test = (Map<String, Object>) scores.get("test");
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %s | %s | %s |%n",
            who,
            percent(dev.get("accuracy")),
            percent(dev.get("oov_accuracy")),
            test == null ? "" : percent(test.get("accuracy")),
            test == null ? "" : percent(test.get("oov_accuracy"))));
  }

  private static String percent(Object fraction) {
    if (!(fraction instanceof Number n) || Double.isNaN(n.doubleValue())) {
      return "";
    }
    return String.format(Locale.ROOT, "%.2f%%", 100 * n.doubleValue());
  }
}
