package org.streamtagger.trainer.tagger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A tagger and its training, immutable: the model's shape ({@link ModelSettings}) and how it is
 * trained ({@link TrainingSettings}), from a named preset. Presets give the fixed starting points
 * of DESIGN.md; options change single values by key ({@code --set char_hidden=64}), and {@link
 * #validate()} rejects values that make no sense.
 *
 * @param preset name of the preset this config started from
 * @param model the model's shape
 * @param training its training
 */
public record ModelConfig(String preset, ModelSettings model, TrainingSettings training) {

  /** The presets' names, in order. */
  public static final List<String> PRESETS = List.of("seed", "seed-char", "ewt", "ewt-plus");

  /** Keys that older checkpoints lack, and the value they meant. */
  private static final Map<String, Object> ADDED_LATER = Map.of("layers", 1, "average_decay", 0f);

  /**
   * A preset by name.
   *
   * @throws IllegalArgumentException naming the known presets
   */
  public static ModelConfig preset(String name) {
    TrainingSettings tutorialTraining =
        TrainingSettings.builder().sgd(0.1f).schedule(1, 1, false).seed(1).build();
    TrainingSettings ewtTraining =
        TrainingSettings.builder()
            .adam(2e-3f)
            .schedule(32, 15, true)
            .dropout(0.33f, 0.05f)
            .clipNorm(5f)
            .seed(1)
            .build();
    return switch (name.toLowerCase(Locale.ROOT)) {
      // The tutorial's model on real data: batch-1 SGD, tiny dimensions.
      case "seed" ->
          new ModelConfig(
              "seed",
              ModelSettings.builder().words(6, 1).sentence(6, false, 1).build(),
              tutorialTraining);
      // The tutorial's exercise: plus a character LSTM's final state.
      case "seed-char" ->
          new ModelConfig(
              "seed-char",
              ModelSettings.builder().words(6, 1).chars(3, 3, false).sentence(6, false, 1).build(),
              tutorialTraining);
      // The realistic model: word + char BiLSTM, Adam, dropout.
      case "ewt" ->
          new ModelConfig(
              "ewt",
              ModelSettings.builder()
                  .words(100, 2)
                  .chars(32, 32, true)
                  .sentence(128, true, 1)
                  .build(),
              ewtTraining);
      // ewt grown for accuracy: a wider character BiLSTM (unseen words), two sentence layers,
      // longer training, averaged weights. The shipped model's members.
      case "ewt-plus" ->
          new ModelConfig(
              "ewt-plus",
              ModelSettings.builder()
                  .words(100, 2)
                  .chars(48, 64, true)
                  .sentence(128, true, 2)
                  .build(),
              with(ewtTraining, Map.of("epochs", 30, "average_decay", 0.999f)));
      default ->
          throw new IllegalArgumentException(
              "unknown preset '" + name + "': expected one of " + String.join(", ", PRESETS));
    };
  }

  public ModelConfig withEpochs(int n) {
    return with(Map.of("epochs", n));
  }

  public ModelConfig withLr(float v) {
    return with(Map.of("lr", v));
  }

  public ModelConfig withBatchSize(int v) {
    return with(Map.of("batch_size", v));
  }

  public ModelConfig withLayers(int v) {
    return with(Map.of("layers", v));
  }

  public ModelConfig withSeed(long v) {
    return with(Map.of("seed", v));
  }

  /**
   * A copy with the given values replaced, by key (as in {@link #asMap()}): values of the setting's
   * type, or text to parse as it ({@code --set}).
   *
   * @throws IllegalArgumentException naming an unknown key, or the key and the type it expected
   */
  public ModelConfig with(Map<String, ?> values) {
    for (String key : values.keySet()) {
      if (!key.equals("preset")
          && !Settings.has(ModelSettings.class, key)
          && !Settings.has(TrainingSettings.class, key)) {
        throw new IllegalArgumentException(
            "unknown config key '" + key + "': expected one of " + new TreeSet<>(asMap().keySet()));
      }
    }
    String p = values.containsKey("preset") ? String.valueOf(values.get("preset")) : preset;
    return new ModelConfig(p, Settings.with(model, values), Settings.with(training, values));
  }

  private static TrainingSettings with(TrainingSettings t, Map<String, ?> values) {
    return Settings.with(t, values);
  }

  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException naming the first bad value and what was expected
   */
  public ModelConfig validate() {
    model.validate();
    training.validate();
    return this;
  }

  /** Every value by key, sorted: for printing, checkpoints and model metadata. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new TreeMap<>();
    m.put("preset", preset);
    m.putAll(Settings.asMap(model));
    m.putAll(Settings.asMap(training));
    return m;
  }

  /**
   * Rebuilds a config from {@link #asMap()}'s keys (as read back from JSON).
   *
   * @throws IllegalArgumentException naming a key that is missing or of the wrong type
   */
  public static ModelConfig fromMap(Map<String, ?> m) {
    Map<String, Object> values = new LinkedHashMap<>(ADDED_LATER);
    values.putAll(m);
    ModelConfig base = preset("seed");
    for (String key : base.asMap().keySet()) {
      if (!values.containsKey(key) || values.get(key) == null) {
        throw new IllegalArgumentException("config value '" + key + "' missing");
      }
    }
    return base.with(values);
  }
}
