package org.streamtagger.trainer.tagger;

/**
 * The shape of a tagger: what its layers are and how large. Fixed once a model is built; its
 * training is {@link TrainingSettings}.
 *
 * @param wordDim word embedding size
 * @param minCount training words seen fewer times map to {@code <unk>}
 * @param charDim character embedding size; 0 means no character encoder
 * @param charHidden character LSTM hidden size per direction
 * @param charBidirectional whether the character LSTM reads both ways
 * @param hidden sentence LSTM hidden size per direction
 * @param bidirectional whether the sentence LSTM reads both ways
 * @param layers stacked sentence LSTM layers (dropout between them)
 * @param maxWordChars longest character sequence read per word
 */
public record ModelSettings(
    int wordDim,
    int minCount,
    int charDim,
    int charHidden,
    boolean charBidirectional,
    int hidden,
    boolean bidirectional,
    int layers,
    int maxWordChars) {

  public boolean hasCharEncoder() {
    return charDim > 0;
  }

  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException naming the first bad value and what was expected
   */
  public ModelSettings validate() {
    Settings.positive("word_dim", wordDim);
    Settings.positive("min_count", minCount);
    Settings.positive("hidden", hidden);
    Settings.positive("layers", layers);
    Settings.positive("max_word_chars", maxWordChars);
    if (charDim < 0 || (charDim > 0 && charHidden <= 0)) {
      throw new IllegalArgumentException(
          "char_dim must be 0 (no character encoder) or positive with a positive char_hidden");
    }
    return this;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings by name, for presets that read as what they are. */
  public static final class Builder {
    private int wordDim;
    private int minCount = 1;
    private int charDim;
    private int charHidden;
    private boolean charBidirectional;
    private int hidden;
    private boolean bidirectional;
    private int layers = 1;
    private int maxWordChars = 32;

    private Builder() {}

    /** Word embeddings of {@code dim}, for words seen at least {@code minCount} times. */
    public Builder words(int dim, int minCount) {
      this.wordDim = dim;
      this.minCount = minCount;
      return this;
    }

    /** A character LSTM: embeddings of {@code dim}, {@code hidden} per direction. */
    public Builder chars(int dim, int hidden, boolean bidirectional) {
      this.charDim = dim;
      this.charHidden = hidden;
      this.charBidirectional = bidirectional;
      return this;
    }

    /** The sentence LSTM: {@code layers} of {@code hidden} per direction. */
    public Builder sentence(int hidden, boolean bidirectional, int layers) {
      this.hidden = hidden;
      this.bidirectional = bidirectional;
      this.layers = layers;
      return this;
    }

    public Builder maxWordChars(int n) {
      this.maxWordChars = n;
      return this;
    }

    public ModelSettings build() {
      return new ModelSettings(
          wordDim,
          minCount,
          charDim,
          charHidden,
          charBidirectional,
          hidden,
          bidirectional,
          layers,
          maxWordChars);
    }
  }
}
