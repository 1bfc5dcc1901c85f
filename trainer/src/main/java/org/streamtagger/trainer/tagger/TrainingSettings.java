package org.streamtagger.trainer.tagger;

/**
 * How a tagger is trained: optimizer, schedule, regularisation and randomness. The model it trains
 * is {@link ModelSettings}.
 *
 * @param optimizer {@code sgd} or {@code adam}
 * @param lr learning rate
 * @param batchSize sentences per update
 * @param epochs passes over the training data
 * @param shuffle whether each epoch visits the sentences in a new (seeded) order
 * @param dropout dropout on the sentence LSTM's inputs and outputs
 * @param wordDropout probability of replacing a training word by {@code <unk>}
 * @param clipNorm global gradient norm limit; 0 means none
 * @param seed seed of every random choice (initialisation, order, dropout)
 * @param averageDecay decay of an exponential moving average of the weights that is evaluated and
 *     saved instead of the raw weights (Polyak averaging); 0 means none
 */
public record TrainingSettings(
    String optimizer,
    float lr,
    int batchSize,
    int epochs,
    boolean shuffle,
    float dropout,
    float wordDropout,
    float clipNorm,
    long seed,
    float averageDecay) {

  /** Whether the word vocabulary reserves id 0 for padding (batched training). */
  public boolean paddedBatches() {
    return batchSize > 1;
  }

  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException naming the first bad value and what was expected
   */
  public TrainingSettings validate() {
    Settings.positive("batch_size", batchSize);
    Settings.positive("epochs", epochs);
    if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
      throw new IllegalArgumentException("optimizer must be sgd or adam, got '" + optimizer + "'");
    }
    if (!(lr > 0f) || Float.isInfinite(lr)) {
      throw new IllegalArgumentException("lr must be a positive number, got " + lr);
    }
    Settings.unitInterval("dropout", dropout);
    Settings.unitInterval("word_dropout", wordDropout);
    if (!(averageDecay == 0f || (averageDecay > 0f && averageDecay < 1f))) {
      throw new IllegalArgumentException(
          "average_decay must be 0 (off) or in (0, 1), got " + averageDecay);
    }
    if (!(clipNorm >= 0f)) {
      throw new IllegalArgumentException("clip_norm must be >= 0, got " + clipNorm);
    }
    return this;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings by name, for presets that read as what they are. */
  public static final class Builder {
    private String optimizer;
    private float lr;
    private int batchSize = 1;
    private int epochs = 1;
    private boolean shuffle;
    private float dropout;
    private float wordDropout;
    private float clipNorm;
    private long seed = 1;
    private float averageDecay;

    private Builder() {}

    public Builder sgd(float lr) {
      this.optimizer = "sgd";
      this.lr = lr;
      return this;
    }

    public Builder adam(float lr) {
      this.optimizer = "adam";
      this.lr = lr;
      return this;
    }

    /** {@code epochs} passes of {@code batchSize} sentences per update, in a new order each. */
    public Builder schedule(int batchSize, int epochs, boolean shuffle) {
      this.batchSize = batchSize;
      this.epochs = epochs;
      this.shuffle = shuffle;
      return this;
    }

    public Builder dropout(float dropout, float wordDropout) {
      this.dropout = dropout;
      this.wordDropout = wordDropout;
      return this;
    }

    public Builder clipNorm(float norm) {
      this.clipNorm = norm;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder averageDecay(float decay) {
      this.averageDecay = decay;
      return this;
    }

    public TrainingSettings build() {
      return new TrainingSettings(
          optimizer,
          lr,
          batchSize,
          epochs,
          shuffle,
          dropout,
          wordDropout,
          clipNorm,
          seed,
          averageDecay);
    }
  }
}
