package org.streamtagger.trainer.tagger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Vocabularies;

class EnsembleTest {
  private final Vocabularies vocab =
      Vocabularies.build(Tutorial.TRAINING_DATA, TagColumn.XPOS, 1, true, 32);
  private final ModelConfig config =
      ModelConfig.preset("ewt")
          .with(java.util.Map.of("word_dim", 8, "char_dim", 4, "char_hidden", 3, "hidden", 5));

  private TaggerModel model(long seed) {
    return new TaggerModel(config.withSeed(seed), vocab);
  }

  @Test
  void logProbabilitiesAreTheLogOfTheMembersMeanProbabilities() {
    List<TaggerModel> members = List.of(model(1), model(2), model(3));
    List<EncodedSentence> batch =
        List.of(
            vocab.encode(List.of("The", "dog", "ate", "the", "apple"), null),
            vocab.encode(List.of("Everybody", "read", "zebras"), null));
    Tensor ensemble = new Ensemble(members).logProbs(batch);
    float[][] each = members.stream().map(m -> m.logProbs(batch).data).toArray(float[][]::new);
    assertEquals(each[0].length, ensemble.size());
    for (int i = 0; i < ensemble.size(); i++) {
      double mean = 0;
      for (float[] m : each) {
        mean += Math.exp(m[i]) / each.length;
      }
      assertEquals(Math.log(mean), ensemble.data[i], 1e-5, "element " + i);
    }
    // Each token's probabilities still sum to one.
    int k = ensemble.dim(2);
    for (int row = 0; row < ensemble.size() / k; row++) {
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += Math.exp(ensemble.data[row * k + j]);
      }
      assertEquals(1.0, sum, 1e-5);
    }
  }

  @Test
  void oneMemberIsThatModel() {
    TaggerModel m = model(4);
    List<EncodedSentence> batch = List.of(vocab.encode(List.of("The", "dog"), null));
    assertArrayEquals(m.logProbs(batch).data, new Ensemble(List.of(m)).logProbs(batch).data);
  }

  @Test
  void membersWithOtherVocabulariesAreRefused() {
    Vocabularies other =
        Vocabularies.build(Tutorial.TRAINING_DATA.subList(0, 1), TagColumn.XPOS, 1, true, 32);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Ensemble(List.of(model(1), new TaggerModel(config, other))));
    assertTrue(e.getMessage().contains("model 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Ensemble(List.of()));
  }
}
