package org.streamtagger.trainer.retrain;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.streamtagger.tagging.inference.InferenceOptions;
import org.streamtagger.tagging.inference.OnnxTagger;

/**
 * What an exported model costs the stream: ONNX Runtime's tokens per second with one intra-op
 * thread (as the processor runs it), in batches of 64 and of 1, after a warm-up pass.
 *
 * @param tokensPerSecondBatch64 over every sentence given, 64 at a time
 * @param tokensPerSecondBatch1 over the first {@link #BATCH_1_SENTENCES}, one at a time
 */
public record InferenceCost(double tokensPerSecondBatch64, double tokensPerSecondBatch1) {
  static final int BATCH_1_SENTENCES = 300;

  /** Measures {@code model} (null: the bundled one) on {@code sentences}. */
  static InferenceCost measure(Path model, List<List<String>> sentences) throws IOException {
    InferenceOptions one = InferenceOptions.defaults().withThreads(1);
    try (OnnxTagger tagger =
        model == null ? OnnxTagger.bundled(one) : OnnxTagger.load(model, one)) {
      pass(tagger, sentences.subList(0, Math.min(256, sentences.size())), 64);
      double batched = pass(tagger, sentences, 64);
      double single =
          pass(tagger, sentences.subList(0, Math.min(BATCH_1_SENTENCES, sentences.size())), 1);
      return new InferenceCost(batched, single);
    }
  }

  private static double pass(OnnxTagger tagger, List<List<String>> sentences, int batch) {
    long tokens = 0;
    long start = System.nanoTime();
    for (int i = 0; i < sentences.size(); i += batch) {
      List<List<String>> b = sentences.subList(i, Math.min(sentences.size(), i + batch));
      tagger.tag(b);
      for (List<String> s : b) {
        tokens += s.size();
      }
    }
    return tokens / ((System.nanoTime() - start) / 1e9);
  }
}
