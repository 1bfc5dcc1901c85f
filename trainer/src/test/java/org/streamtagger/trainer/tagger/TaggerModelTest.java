package org.streamtagger.trainer.tagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Vocabularies;
import org.streamtagger.trainer.testing.GradientCheck;

class TaggerModelTest {

  /** A small model with every part: character BiLSTM, sentence BiLSTM, padding id. */
  private static ModelConfig smallBidirectional() {
    return new ModelConfig(
        "test",
        ModelSettings.builder()
            .words(4, 1)
            .chars(3, 2, true)
            .sentence(3, true, 1)
            .maxWordChars(5)
            .build(),
        TrainingSettings.builder().adam(1e-2f).schedule(4, 1, false).seed(3).build());
  }

  private static Vocabularies vocab() {
    return Vocabularies.build(
        Tutorial.TRAINING_DATA,
        TagColumn.UPOS,
        1,
        true,
        smallBidirectional().model().maxWordChars());
  }

  private static List<EncodedSentence> batch(Vocabularies v) {
    List<EncodedSentence> b = new ArrayList<>();
    for (Sentence s : Tutorial.TRAINING_DATA) {
      b.add(v.encode(s, TagColumn.UPOS));
    }
    b.add(v.encode(List.of("Everybody", "ate"), List.of("NN", "V")));
    return b;
  }

  @Test
  void gradientOfTheWholeModelMatchesFiniteDifferences() {
    Vocabularies v = vocab();
    TaggerModel model = new TaggerModel(smallBidirectional(), v);
    List<EncodedSentence> batch = batch(v);
    Tensor[] params = model.parameters().values().toArray(new Tensor[0]);
    var bad =
        GradientCheck.mismatches(
            tape -> model.loss(tape, model.forward(tape, batch, null), batch), params);
    assertTrue(bad.isEmpty(), () -> "mismatches: " + bad);
  }

  @Test
  void aSentenceScoresTheSameAloneAndInAPaddedBatch() {
    Vocabularies v = vocab();
    TaggerModel model = new TaggerModel(smallBidirectional(), v);
    List<EncodedSentence> batch = batch(v);
    Tensor together = model.forward(Tape.inference(), batch, null); // [3, 5, K]
    for (int i = 0; i < batch.size(); i++) {
      Tensor alone = model.forward(Tape.inference(), List.of(batch.get(i)), null);
      for (int t = 0; t < batch.get(i).length(); t++) {
        for (int k = 0; k < alone.dim(2); k++) {
          assertEquals(alone.get(0, t, k), together.get(i, t, k), 1e-5, "s" + i + " t" + t);
        }
      }
    }
  }

  @Test
  void parameterNamesAreStable() {
    TaggerModel model = new TaggerModel(smallBidirectional(), vocab());
    assertEquals(
        List.of(
            "word_embedding.weight",
            "char_encoder.embedding.weight",
            "char_encoder.lstm.forward.weight_ih",
            "char_encoder.lstm.forward.weight_hh",
            "char_encoder.lstm.forward.bias_ih",
            "char_encoder.lstm.forward.bias_hh",
            "char_encoder.lstm.backward.weight_ih",
            "char_encoder.lstm.backward.weight_hh",
            "char_encoder.lstm.backward.bias_ih",
            "char_encoder.lstm.backward.bias_hh",
            "sentence_lstm.forward.weight_ih",
            "sentence_lstm.forward.weight_hh",
            "sentence_lstm.forward.bias_ih",
            "sentence_lstm.forward.bias_hh",
            "sentence_lstm.backward.weight_ih",
            "sentence_lstm.backward.weight_hh",
            "sentence_lstm.backward.bias_ih",
            "sentence_lstm.backward.bias_hh",
            "output.weight",
            "output.bias"),
        List.copyOf(model.parameters().keySet()));
  }
}
