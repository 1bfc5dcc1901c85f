package org.streamtagger.trainer.tagger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.streamtagger.trainer.data.EncodedSentence;

/**
 * Token accuracy of a tagger, overall and on words the model does not know (mapped to {@code
 * <unk>}).
 *
 * @param tokens tokens scored
 * @param correct tokens whose predicted tag equals the gold tag
 * @param oovTokens tokens whose word is not in the model's vocabulary
 * @param oovCorrect those of them tagged correctly
 * @param seconds wall time of the predictions
 */
public record Evaluation(
    long tokens, long correct, long oovTokens, long oovCorrect, double seconds) {
  private static final int BATCH = 64;

  public double accuracy() {
    return tokens == 0 ? 0 : (double) correct / tokens;
  }

  public double oovAccuracy() {
    return oovTokens == 0 ? 0 : (double) oovCorrect / oovTokens;
  }

  /** Predicts every sentence, in batches spread over {@code threads} threads. */
  public static Evaluation of(TaggerModel model, List<EncodedSentence> data, int threads) {
    long start = System.nanoTime();
    int unk = model.vocabularies().words().unkId();
    List<List<EncodedSentence>> batches = new ArrayList<>();
    for (int i = 0; i < data.size(); i += BATCH) {
      batches.add(data.subList(i, Math.min(data.size(), i + BATCH)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<long[]>> parts = new ArrayList<>();
      for (List<EncodedSentence> batch : batches) {
        parts.add(pool.submit(() -> score(model, batch, unk)));
      }
      long[] sum = new long[4];
      for (Future<long[]> f : parts) {
        long[] p = f.get();
        for (int i = 0; i < 4; i++) {
          sum[i] += p[i];
        }
      }
      return new Evaluation(sum[0], sum[1], sum[2], sum[3], (System.nanoTime() - start) / 1e9);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("evaluation interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("evaluation failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static long[] score(TaggerModel model, List<EncodedSentence> batch, int unk) {
    List<int[]> predicted = model.predict(batch);
    long[] counts = new long[4];
    for (int i = 0; i < batch.size(); i++) {
      EncodedSentence s = batch.get(i);
      int[] p = predicted.get(i);
      for (int t = 0; t < s.length(); t++) {
        boolean ok = p[t] == s.tags()[t];
        boolean oov = s.words()[t] == unk;
        counts[0]++;
        counts[1] += ok ? 1 : 0;
        counts[2] += oov ? 1 : 0;
        counts[3] += oov && ok ? 1 : 0;
      }
    }
    return counts;
  }
}
