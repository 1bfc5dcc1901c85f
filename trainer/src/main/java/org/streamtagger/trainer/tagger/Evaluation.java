package org.streamtagger.trainer.tagger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.streamtagger.trainer.data.EncodedSentence;

/**
 * How well a tagger did on gold-tagged data: token accuracy, accuracy on words never seen in
 * training (OOV), and the confusion matrix behind per-tag precision, recall and F1.
 *
 * @param tags the model's tag set; confusion rows and columns follow it
 * @param confusion {@code [gold][predicted]} counts; an extra last row counts gold tags the model
 *     does not know
 * @param tokens tokens scored
 * @param oovTokens tokens whose word never occurred in training
 * @param oovCorrect those of them tagged correctly
 * @param seconds wall time of the predictions
 */
public record Evaluation(
    List<String> tags,
    long[][] confusion,
    long tokens,
    long oovTokens,
    long oovCorrect,
    double seconds) {
  private static final int BATCH = 64;

  /**
   * One tag's scores.
   *
   * @param support gold occurrences
   */
  public record TagScore(double precision, double recall, double f1, long support) {}

  /**
   * A frequent mistake.
   *
   * @param gold the right tag
   * @param predicted the tag given instead
   * @param count how often
   */
  public record Confusion(String gold, String predicted, long count) {}

  public long correct() {
    long c = 0;
    for (int k = 0; k < tags.size(); k++) {
      c += confusion[k][k];
    }
    return c;
  }

  public double accuracy() {
    return tokens == 0 ? 0 : (double) correct() / tokens;
  }

  public double oovAccuracy() {
    return oovTokens == 0 ? 0 : (double) oovCorrect / oovTokens;
  }

  /** Precision, recall and F1 of every tag, in tag-set order. */
  public Map<String, TagScore> perTag() {
    Map<String, TagScore> out = new LinkedHashMap<>();
    int k = tags.size();
    for (int t = 0; t < k; t++) {
      long tp = confusion[t][t];
      long predicted = 0;
      for (long[] row : confusion) {
        predicted += row[t];
      }
      long gold = 0;
      for (int p = 0; p < k; p++) {
        gold += confusion[t][p];
      }
      double precision = predicted == 0 ? 0 : (double) tp / predicted;
      double recall = gold == 0 ? 0 : (double) tp / gold;
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      out.put(tags.get(t), new TagScore(precision, recall, f1, gold));
    }
    return out;
  }

  /** The {@code n} most frequent (gold, predicted) mistakes. */
  public List<Confusion> topConfusions(int n) {
    List<Confusion> all = new ArrayList<>();
    for (int g = 0; g < tags.size(); g++) {
      for (int p = 0; p < tags.size(); p++) {
        if (g != p && confusion[g][p] > 0) {
          all.add(new Confusion(tags.get(g), tags.get(p), confusion[g][p]));
        }
      }
    }
    all.sort(Comparator.comparingLong(Confusion::count).reversed());
    return all.subList(0, Math.min(n, all.size()));
  }

  /** Predicts every sentence, in batches spread over {@code threads} threads. */
  public static Evaluation of(Predictor model, List<EncodedSentence> data, int threads) {
    long start = System.nanoTime();
    List<String> tags = model.vocabularies().tags().symbols();
    List<List<EncodedSentence>> batches = new ArrayList<>();
    for (int i = 0; i < data.size(); i += BATCH) {
      batches.add(data.subList(i, Math.min(data.size(), i + BATCH)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<Counts>> parts = new ArrayList<>();
      for (List<EncodedSentence> batch : batches) {
        parts.add(pool.submit(() -> score(model, batch, tags.size())));
      }
      Counts sum = new Counts(tags.size());
      for (Future<Counts> f : parts) {
        sum.add(f.get());
      }
      return new Evaluation(
          tags,
          sum.confusion,
          sum.tokens,
          sum.oovTokens,
          sum.oovCorrect,
          (System.nanoTime() - start) / 1e9);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("evaluation interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("evaluation failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Scores predictions made elsewhere (another engine).
   *
   * @param tags the tag set the ids refer to
   * @param data gold tag ids and unseen-word flags
   * @param predicted predicted tag ids, one array per sentence
   */
  public static Evaluation ofPredictions(
      List<String> tags, List<EncodedSentence> data, List<int[]> predicted, double seconds) {
    Counts c = count(data, predicted, tags.size());
    return new Evaluation(tags, c.confusion, c.tokens, c.oovTokens, c.oovCorrect, seconds);
  }

  private static Counts score(Predictor model, List<EncodedSentence> batch, int k) {
    return count(batch, model.predict(batch), k);
  }

  private static Counts count(List<EncodedSentence> batch, List<int[]> predicted, int k) {
    Counts c = new Counts(k);
    for (int i = 0; i < batch.size(); i++) {
      EncodedSentence s = batch.get(i);
      int[] p = predicted.get(i);
      for (int t = 0; t < s.length(); t++) {
        int gold = s.tags()[t] < 0 ? k : s.tags()[t];
        c.confusion[gold][p[t]]++;
        c.tokens++;
        if (s.unseen()[t]) {
          c.oovTokens++;
          c.oovCorrect += gold == p[t] ? 1 : 0;
        }
      }
    }
    return c;
  }

  /** Running totals of one batch. */
  private static final class Counts {
    final long[][] confusion;
    long tokens;
    long oovTokens;
    long oovCorrect;

    Counts(int k) {
      confusion = new long[k + 1][k];
    }

    void add(Counts o) {
      for (int g = 0; g < confusion.length; g++) {
        for (int p = 0; p < confusion[g].length; p++) {
          confusion[g][p] += o.confusion[g][p];
        }
      }
      tokens += o.tokens;
      oovTokens += o.oovTokens;
      oovCorrect += o.oovCorrect;
    }
  }
}
