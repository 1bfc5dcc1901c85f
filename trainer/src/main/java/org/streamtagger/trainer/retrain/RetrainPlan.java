package org.streamtagger.trainer.retrain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.streamtagger.trainer.tagger.ModelConfig;

/**
 * What a retraining job does, fixed when it starts and kept in its directory, so that a resumed job
 * goes on with the same data and recipe. The recipe is the one that produced the shipped model:
 * three members of one preset that differ in seed or character LSTM size, each trained with early
 * stopping, averaged as an ensemble, rounded to half precision, exported.
 *
 * @param train training data
 * @param dev the data members are chosen on and the gate compares on
 * @param test held-out data for the model card (may be null)
 * @param preset the members' preset
 * @param epochs the members' epochs at most (null: the preset's)
 * @param patience epochs without a better dev accuracy before a member stops
 * @param name the exported model's name
 * @param version the exported model's version
 * @param baseline the model the candidate would replace (an .onnx file; null: the bundled one)
 * @param marginPoints how many accuracy points below the baseline on dev the gate still accepts
 */
public record RetrainPlan(
    Path train,
    Path dev,
    Path test,
    String preset,
    Integer epochs,
    int patience,
    String name,
    String version,
    Path baseline,
    double marginPoints) {

  /** One member of the ensemble: its directory name and what it changes from the preset. */
  public record Member(String name, Map<String, Object> overrides) {}

  public RetrainPlan {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(dev, "dev");
    if (patience < 0) {
      throw new IllegalArgumentException("--patience must be >= 0, got " + patience);
    }
    if (epochs != null && epochs < 1) {
      throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
    }
    if (!(Math.abs(marginPoints) <= 100)) {
      throw new IllegalArgumentException(
          "--gate-margin must be between -100 and 100 points, got " + marginPoints);
    }
    ModelConfig.preset(preset); // names the known presets if it is not one
  }

  /** The members: the preset, the preset with seed 2, the preset with a smaller character LSTM. */
  public List<Member> members() {
    List<Member> m = new ArrayList<>();
    m.add(new Member("member-1", Map.of()));
    m.add(new Member("member-2", Map.of("seed", 2L)));
    m.add(new Member("member-3", Map.of("char_dim", 32, "char_hidden", 32)));
    return m;
  }

  /** A member's training configuration. */
  public ModelConfig config(Member member) {
    ModelConfig c = ModelConfig.preset(preset);
    if (epochs != null) {
      c = c.withEpochs(epochs);
    }
    return c.with(member.overrides()).validate();
  }

  /** As stored in the job's state file. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("train", train.toAbsolutePath().normalize().toString());
    m.put("dev", dev.toAbsolutePath().normalize().toString());
    m.put("test", test == null ? null : test.toAbsolutePath().normalize().toString());
    m.put("preset", preset);
    m.put("epochs", epochs);
    m.put("patience", patience);
    m.put("name", name);
    m.put("version", version);
    m.put("baseline", baseline == null ? null : baseline.toAbsolutePath().normalize().toString());
    m.put("gate_margin_points", marginPoints);
    return m;
  }

  /** The plan a state file holds. */
  public static RetrainPlan fromMap(Map<String, Object> m) {
    return new RetrainPlan(
        Path.of((String) m.get("train")),
        Path.of((String) m.get("dev")),
        m.get("test") == null ? null : Path.of((String) m.get("test")),
        (String) m.get("preset"),
        m.get("epochs") == null ? null : ((Number) m.get("epochs")).intValue(),
        ((Number) m.get("patience")).intValue(),
        (String) m.get("name"),
        (String) m.get("version"),
        m.get("baseline") == null ? null : Path.of((String) m.get("baseline")),
        ((Number) m.get("gate_margin_points")).doubleValue());
  }

  /**
   * What differs between this plan and the one a job started with, as {@code key: then -> now}
   * (empty when a resume may go on). The version is not compared: a resume keeps the job's own.
   */
  public List<String> differencesFrom(RetrainPlan started) {
    Map<String, Object> now = asMap();
    Map<String, Object> then = started.asMap();
    List<String> out = new ArrayList<>();
    for (String key : now.keySet()) {
      if (!key.equals("version") && !Objects.equals(now.get(key), then.get(key))) {
        out.add(key + ": " + then.get(key) + " -> " + now.get(key));
      }
    }
    return out;
  }
}
