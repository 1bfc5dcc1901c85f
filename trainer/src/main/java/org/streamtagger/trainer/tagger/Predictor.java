package org.streamtagger.trainer.tagger;

import java.util.ArrayList;
import java.util.List;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Vocabularies;

/** Anything that scores tags for batches of encoded sentences: one model or an ensemble. */
public interface Predictor {
  /** The vocabularies sentences must be encoded with. */
  Vocabularies vocabularies();

  /**
   * Tag log-probabilities, no dropout.
   *
   * @return {@code [B, T, tags]}, {@code T} the longest sentence; rows past a sentence's length are
   *     padding
   */
  Tensor logProbs(List<EncodedSentence> batch);

  /** The most probable tag id of every token of every sentence. */
  default List<int[]> predict(List<EncodedSentence> batch) {
    Tensor logProbs = logProbs(batch);
    int time = logProbs.dim(1);
    int k = logProbs.dim(2);
    List<int[]> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      int[] tags = new int[batch.get(i).length()];
      for (int t = 0; t < tags.length; t++) {
        int row = (i * time + t) * k;
        int best = 0;
        for (int j = 1; j < k; j++) {
          if (logProbs.data[row + j] > logProbs.data[row + best]) {
            best = j;
          }
        }
        tags[t] = best;
      }
      out.add(tags);
    }
    return out;
  }
}
