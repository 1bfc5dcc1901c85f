package org.streamtagger.trainer.tagger;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every hyper-parameter of a tagger and its training, immutable. Presets give the fixed starting
 * points of DESIGN.md; command-line options override single values with {@code with...} copies, and
 * {@link #validate()} rejects values that make no sense.
 *
 * @param preset name of the preset this config started from
 * @param wordDim word embedding size
 * @param minCount training words seen fewer times map to {@code <unk>}
 * @param charDim character embedding size; 0 means no character encoder
 * @param charHidden character LSTM hidden size per direction
 * @param charBidirectional whether the character LSTM reads both ways
 * @param hidden sentence LSTM hidden size per direction
 * @param bidirectional whether the sentence LSTM reads both ways
 * @param layers stacked sentence LSTM layers (dropout between them)
 * @param optimizer {@code sgd} or {@code adam}
 * @param lr learning rate
 * @param batchSize sentences per update
 * @param epochs passes over the training data
 * @param shuffle whether each epoch visits the sentences in a new (seeded) order
 * @param dropout dropout on the sentence LSTM's inputs and outputs
 * @param wordDropout probability of replacing a training word by {@code <unk>}
 * @param clipNorm global gradient norm limit; 0 means none
 * @param maxWordChars longest character sequence read per word
 * @param seed seed of every random choice (initialisation, order, dropout)
 * @param averageDecay decay of an exponential moving average of the weights that is evaluated and
 *     saved instead of the raw weights (Polyak averaging); 0 means none
 */
public record ModelConfig(
    String preset,
    int wordDim,
    int minCount,
    int charDim,
    int charHidden,
    boolean charBidirectional,
    int hidden,
    boolean bidirectional,
    int layers,
    String optimizer,
    float lr,
    int batchSize,
    int epochs,
    boolean shuffle,
    float dropout,
    float wordDropout,
    float clipNorm,
    int maxWordChars,
    long seed,
    float averageDecay) {

  /** The presets' names, in order. */
  public static final List<String> PRESETS = List.of("seed", "seed-char", "ewt", "ewt-plus");

  /**
   * A preset by name.
   *
   * @throws IllegalArgumentException naming the known presets
   */
  public static ModelConfig preset(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      // The tutorial's model on real data: batch-1 SGD, tiny dimensions.
      case "seed" ->
          new ModelConfig(
              "seed", 6, 1, 0, 0, false, 6, false, 1, "sgd", 0.1f, 1, 1, false, 0f, 0f, 0f, 32, 1,
              0f);
      // The tutorial's exercise: plus a character LSTM's final state.
      case "seed-char" ->
          new ModelConfig(
              "seed-char",
              6,
              1,
              3,
              3,
              false,
              6,
              false,
              1,
              "sgd",
              0.1f,
              1,
              1,
              false,
              0f,
              0f,
              0f,
              32,
              1,
              0f);
      // The realistic model: word + char BiLSTM, Adam, dropout.
      case "ewt" ->
          new ModelConfig(
              "ewt", 100, 2, 32, 32, true, 128, true, 1, "adam", 2e-3f, 32, 15, true, 0.33f, 0.05f,
              5f, 32, 1, 0f);
      // ewt grown for accuracy: a wider character BiLSTM (unseen words), two sentence layers,
      // longer training, averaged weights. The shipped model.
      case "ewt-plus" ->
          new ModelConfig(
              "ewt-plus",
              100,
              2,
              48,
              64,
              true,
              128,
              true,
              2,
              "adam",
              2e-3f,
              32,
              30,
              true,
              0.33f,
              0.05f,
              5f,
              32,
              1,
              0.999f);
      default ->
          throw new IllegalArgumentException(
              "unknown preset '" + name + "': expected one of " + String.join(", ", PRESETS));
    };
  }

  public boolean hasCharEncoder() {
    return charDim > 0;
  }

  /** Whether the word vocabulary reserves id 0 for padding (batched training). */
  public boolean paddedBatches() {
    return batchSize > 1;
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

  /** A copy with the given values replaced (keys as in {@link #asMap()}). */
  public ModelConfig with(Map<String, ?> overrides) {
    Map<String, Object> m = new TreeMap<>(asMap());
    for (var e : overrides.entrySet()) {
      if (!m.containsKey(e.getKey())) {
        throw new IllegalArgumentException(
            "unknown config key '" + e.getKey() + "': expected one of " + m.keySet());
      }
      m.put(e.getKey(), e.getValue());
    }
    return fromMap(m);
  }

  public ModelConfig withLayers(int v) {
    return with(Map.of("layers", v));
  }

  public ModelConfig withSeed(long v) {
    return with(Map.of("seed", v));
  }

  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException naming the first bad value and what was expected
   */
  public ModelConfig validate() {
    positive("word_dim", wordDim);
    positive("min_count", minCount);
    positive("hidden", hidden);
    positive("layers", layers);
    positive("batch_size", batchSize);
    positive("epochs", epochs);
    positive("max_word_chars", maxWordChars);
    if (charDim < 0 || (charDim > 0 && charHidden <= 0)) {
      throw new IllegalArgumentException(
          "char_dim must be 0 (no character encoder) or positive with a positive char_hidden");
    }
    if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
      throw new IllegalArgumentException("optimizer must be sgd or adam, got '" + optimizer + "'");
    }
    if (!(lr > 0f) || Float.isInfinite(lr)) {
      throw new IllegalArgumentException("lr must be a positive number, got " + lr);
    }
    unitInterval("dropout", dropout);
    unitInterval("word_dropout", wordDropout);
    if (!(averageDecay == 0f || (averageDecay > 0f && averageDecay < 1f))) {
      throw new IllegalArgumentException(
          "average_decay must be 0 (off) or in (0, 1), got " + averageDecay);
    }
    if (clipNorm < 0f) {
      throw new IllegalArgumentException("clip_norm must be >= 0, got " + clipNorm);
    }
    return this;
  }

  /** The values as a sorted map, for printing, checkpoints and model metadata. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new TreeMap<>();
    m.put("preset", preset);
    m.put("word_dim", wordDim);
    m.put("min_count", minCount);
    m.put("char_dim", charDim);
    m.put("char_hidden", charHidden);
    m.put("char_bidirectional", charBidirectional);
    m.put("hidden", hidden);
    m.put("bidirectional", bidirectional);
    m.put("layers", layers);
    m.put("optimizer", optimizer);
    m.put("lr", lr);
    m.put("batch_size", batchSize);
    m.put("epochs", epochs);
    m.put("shuffle", shuffle);
    m.put("dropout", dropout);
    m.put("word_dropout", wordDropout);
    m.put("clip_norm", clipNorm);
    m.put("max_word_chars", maxWordChars);
    m.put("seed", seed);
    m.put("average_decay", averageDecay);
    return m;
  }

  /** Rebuilds a config from {@link #asMap()}'s keys (as read back from JSON). */
  public static ModelConfig fromMap(Map<String, ?> m) {
    return new ModelConfig(
        (String) m.get("preset"),
        num(m, "word_dim").intValue(),
        num(m, "min_count").intValue(),
        num(m, "char_dim").intValue(),
        num(m, "char_hidden").intValue(),
        (Boolean) m.get("char_bidirectional"),
        num(m, "hidden").intValue(),
        (Boolean) m.get("bidirectional"),
        m.containsKey("layers") ? num(m, "layers").intValue() : 1,
        (String) m.get("optimizer"),
        num(m, "lr").floatValue(),
        num(m, "batch_size").intValue(),
        num(m, "epochs").intValue(),
        (Boolean) m.get("shuffle"),
        num(m, "dropout").floatValue(),
        num(m, "word_dropout").floatValue(),
        num(m, "clip_norm").floatValue(),
        num(m, "max_word_chars").intValue(),
        num(m, "seed").longValue(),
        m.containsKey("average_decay") ? num(m, "average_decay").floatValue() : 0f);
  }

  private static Number num(Map<String, ?> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("config value '" + key + "' missing or not a number");
    }
    return n;
  }

  private static void positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
  }

  private static void unitInterval(String name, float v) {
    if (!(v >= 0f && v < 1f)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
    }
  }
}
