package org.streamtagger.trainer.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.tagging.inference.InferenceOptions;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.tagging.inference.Tagging;
import org.streamtagger.tagging.inference.TokenEncoding;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.tagger.Evaluation;

/**
 * Scores an exported model as the stream runs it: ONNX Runtime on the gold words of a CoNLL-U file,
 * in batches of 64, with unseen words told by the vocabulary stored in the model.
 */
public final class OnnxEvaluation {
  private static final int BATCH = 64;

  private OnnxEvaluation() {}

  /**
   * A scored model.
   *
   * @param model what was scored (the file, or the bundled model)
   * @param column the tag column scored
   * @param sentences sentences in the data
   */
  public record Scored(String model, TagColumn column, int sentences, Evaluation eval) {}

  /**
   * Scores {@code model} (null: the bundled one) on {@code data}.
   *
   * @param column the column to score, or null for the model's
   * @throws IllegalArgumentException if the model predicts another column than {@code column}
   */
  public static Scored of(Path model, Path data, TagColumn column, int threads)
      throws IOException, Treebank.DataException {
    InferenceOptions options = InferenceOptions.defaults().withThreads(threads);
    Set<String> trainingWords;
    String name;
    OnnxTagger tagger;
    if (model != null) {
      tagger = OnnxTagger.load(model, options);
      try (InputStream in = Files.newInputStream(model)) {
        trainingWords = OnnxVocabularies.trainingWords(in);
      }
      name = model.toString();
    } else {
      tagger = OnnxTagger.bundled(options);
      try (InputStream in = OnnxTagger.class.getResourceAsStream(OnnxTagger.BUNDLED_MODEL)) {
        trainingWords = OnnxVocabularies.trainingWords(in);
      }
      name = "bundled " + OnnxTagger.BUNDLED_MODEL;
    }
    try (tagger) {
      TagColumn modelColumn = TagColumn.parse(tagger.model().tagColumn());
      if (column != null && column != modelColumn) {
        throw new IllegalArgumentException(
            "the model predicts " + modelColumn + " tags, not " + column);
      }
      List<Sentence> sentences = Treebank.load(data, modelColumn);
      List<String> tags = tagger.model().tags();
      List<EncodedSentence> gold = new ArrayList<>(sentences.size());
      for (Sentence s : sentences) {
        gold.add(goldOf(s, modelColumn, tags, trainingWords));
      }
      long start = System.nanoTime();
      List<int[]> predicted = new ArrayList<>(sentences.size());
      for (int i = 0; i < sentences.size(); i += BATCH) {
        List<List<String>> batch = new ArrayList<>();
        for (Sentence s : sentences.subList(i, Math.min(sentences.size(), i + BATCH))) {
          batch.add(s.forms());
        }
        for (Tagging t : tagger.tag(batch)) {
          int[] ids = new int[t.tags().size()];
          for (int j = 0; j < ids.length; j++) {
            ids[j] = tags.indexOf(t.tags().get(j));
          }
          predicted.add(ids);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Scored(
          name,
          modelColumn,
          sentences.size(),
          Evaluation.ofPredictions(tags, gold, predicted, seconds));
    }
  }

  /** Gold tag ids and unseen-word flags (word and character ids are not needed here). */
  private static EncodedSentence goldOf(
      Sentence s, TagColumn col, List<String> tags, Set<String> trainingWords) {
    int n = s.size();
    int[] gold = new int[n];
    boolean[] unseen = new boolean[n];
    for (int t = 0; t < n; t++) {
      gold[t] = tags.indexOf(s.words().get(t).tag(col));
      unseen[t] = !trainingWords.contains(TokenEncoding.sanitize(s.words().get(t).form()));
    }
    return new EncodedSentence(new int[n], new int[n][], gold, unseen);
  }
}
