package org.streamtagger.trainer.tagger;

import java.util.List;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Vocabularies;

/**
 * Several taggers trained alike (other seeds, other sizes) voting by their averaged tag
 * probabilities: {@code log(mean_i(exp(logProbs_i)))}. Their errors differ more than their right
 * answers do, so the average is right more often than any one of them. All members read the same
 * vocabularies, so one encoding of a sentence serves them all.
 */
public final class Ensemble implements Predictor {
  private final List<TaggerModel> members;

  /**
   * @throws IllegalArgumentException if there are no members or their vocabularies differ
   */
  public Ensemble(List<TaggerModel> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one model");
    }
    Vocabularies first = members.get(0).vocabularies();
    for (int i = 1; i < members.size(); i++) {
      String difference = difference(first, members.get(i).vocabularies());
      if (difference != null) {
        throw new IllegalArgumentException(
            "model " + (i + 1) + " of the ensemble has other " + difference + " than model 1");
      }
    }
    this.members = List.copyOf(members);
  }

  /** What differs between two vocabularies, or null when nothing does. */
  static String difference(Vocabularies a, Vocabularies b) {
    if (!a.words().symbols().equals(b.words().symbols())) {
      return "words";
    }
    if (!a.chars().symbols().equals(b.chars().symbols())) {
      return "characters";
    }
    if (!a.tags().symbols().equals(b.tags().symbols())) {
      return "tags";
    }
    if (a.maxWordChars() != b.maxWordChars()) {
      return "max_word_chars";
    }
    if (!a.rareWords().equals(b.rareWords())) {
      return "rare words";
    }
    return null;
  }

  public List<TaggerModel> members() {
    return members;
  }

  @Override
  public Vocabularies vocabularies() {
    return members.get(0).vocabularies();
  }

  @Override
  public Tensor logProbs(List<EncodedSentence> batch) {
    if (members.size() == 1) {
      return members.get(0).logProbs(batch);
    }
    Tensor first = members.get(0).logProbs(batch);
    double[] sum = new double[first.size()];
    accumulate(sum, first);
    for (int m = 1; m < members.size(); m++) {
      accumulate(sum, members.get(m).logProbs(batch));
    }
    Tensor out = Tensor.zeros(first.shape());
    for (int i = 0; i < sum.length; i++) {
      out.data[i] = (float) Math.log(sum[i] / members.size());
    }
    return out;
  }

  private static void accumulate(double[] sum, Tensor logProbs) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] += Math.exp(logProbs.data[i]);
    }
  }
}
