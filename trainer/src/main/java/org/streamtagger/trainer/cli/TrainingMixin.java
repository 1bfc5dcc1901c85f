package org.streamtagger.trainer.cli;

import java.nio.file.Path;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.tagger.ModelConfig;
import picocli.CommandLine.Option;

/** Options shared by {@code train} and {@code bench train}. */
public final class TrainingMixin {
  @Option(
      names = "--preset",
      defaultValue = "ewt",
      description = "Model preset: seed, seed-char, ewt or ewt-plus (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(
      names = "--train",
      paramLabel = "FILE",
      description = "CoNLL-U training data (default: EWT train under $TAGGER_DATA).")
  Path train;

  @Option(
      names = "--column",
      defaultValue = "upos",
      description = "Tag column to learn: upos or xpos (default: ${DEFAULT-VALUE}).")
  String column;

  @Option(names = "--epochs", description = "Epochs (default: the preset's).")
  Integer epochs;

  @Option(names = "--lr", description = "Learning rate (default: the preset's).")
  Float lr;

  @Option(names = "--batch-size", description = "Sentences per update (default: the preset's).")
  Integer batchSize;

  @Option(names = "--seed", description = "Random seed (default: the preset's).")
  Long seed;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override any config value, e.g. --set char_hidden=64 --set layers=2 (keys as printed"
              + " in 'config:').")
  java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "Use only the first N training sentences (0: all).")
  int limit;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "Threads (default: ${DEFAULT-VALUE}).")
  int threads;

  /** The preset with the overrides given on the command line, validated. */
  public ModelConfig config() {
    ModelConfig c = ModelConfig.preset(preset);
    if (epochs != null) {
      c = c.withEpochs(epochs);
    }
    if (lr != null) {
      c = c.withLr(lr);
    }
    if (batchSize != null) {
      c = c.withBatchSize(batchSize);
    }
    if (seed != null) {
      c = c.withSeed(seed);
    }
    if (!overrides.isEmpty()) {
      try {
        c = c.with(overrides); // each value parsed as its setting's type
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--set " + e.getMessage(), e);
      }
    }
    if (limit < 0) {
      throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    return c.validate();
  }

  public TagColumn tagColumn() {
    return TagColumn.parse(column);
  }

  public Path trainFile() {
    return train != null ? train : DataLocation.ewt("train");
  }

  /** Threads for training (validated by {@link #config}). */
  public int threads() {
    return threads;
  }

  /** The first N training sentences only (0: all). */
  public int limit() {
    return limit;
  }
}
