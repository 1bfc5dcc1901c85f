package org.streamtagger.trainer.tagger;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.corpus.Word;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Vocabularies;
import org.streamtagger.trainer.optim.Sgd;

/**
 * The example of PyTorch's tutorial "Sequence Models and Long Short-Term Memory Networks",
 * reproduced: two sentences, tags DET / NN / V, embedding and hidden size 6, SGD with lr 0.1 for
 * 300 epochs; then its exercise, the same with a character LSTM's final state beside each word
 * embedding.
 */
public final class Tutorial {
  public static final int EPOCHS = 300;

  /** The tutorial's training data. */
  public static final List<Sentence> TRAINING_DATA =
      List.of(
          sentence("The dog ate the apple", "DET NN V DET NN"),
          sentence("Everybody read that book", "NN V DET NN"));

  /**
   * The tags predicted for the first sentence after training.
   *
   * @param wordOnly tags of the tutorial's word-only model
   * @param withChars tags of the exercise's word + character model
   */
  public record Result(List<String> wordOnly, List<String> withChars) {}

  private Tutorial() {}

  /** The tutorial's model (no character encoder). */
  public static ModelConfig wordConfig() {
    return ModelConfig.preset("seed").withEpochs(EPOCHS);
  }

  /** The exercise's model: character embedding 3, character LSTM hidden 3. */
  public static ModelConfig charConfig() {
    return ModelConfig.preset("seed-char").withEpochs(EPOCHS);
  }

  /** Trains both models, printing what the tutorial prints, and returns their predictions. */
  public static Result run(PrintStream out) {
    out.println("== The tutorial's LSTMTagger (word embeddings only) ==");
    List<String> words = trainAndReport(wordConfig(), out);
    out.println();
    out.println("== The exercise: word embedding ++ final state of a character LSTM ==");
    List<String> chars = trainAndReport(charConfig(), out);
    return new Result(words, chars);
  }

  private static List<String> trainAndReport(ModelConfig config, PrintStream out) {
    Vocabularies vocab = Vocabularies.build(TRAINING_DATA, TagColumn.UPOS, 1, false, 32);
    TaggerModel model = new TaggerModel(config, vocab);
    List<EncodedSentence> data = new ArrayList<>();
    for (Sentence s : TRAINING_DATA) {
      data.add(vocab.encode(s, TagColumn.UPOS));
    }
    out.printf(
        Locale.ROOT,
        "%d parameters; tags %s; %s%n",
        model.parameterCount(),
        vocab.tags().symbols(),
        config.model().hasCharEncoder()
            ? "char embedding "
                + config.model().charDim()
                + ", char LSTM hidden "
                + config.model().charHidden()
            : "embedding " + config.model().wordDim() + ", hidden " + config.model().hidden());
    out.println("Tag scores (log-probabilities) for \"The dog ate the apple\" before training:");
    printScores(model, data.get(0), out);

    Sgd sgd = new Sgd(List.copyOf(model.parameters().values()), config.training().lr());
    double loss = 0;
    for (int epoch = 0; epoch < config.training().epochs(); epoch++) {
      loss = 0;
      for (EncodedSentence s : data) {
        sgd.zeroGrad();
        Tape tape = Tape.training();
        Tensor l = model.loss(tape, model.forward(tape, List.of(s), null), List.of(s));
        loss += l.data[0];
        tape.backward(l);
        sgd.step();
      }
    }
    out.printf(
        Locale.ROOT, "after %d epochs, loss %.4f; tag scores:%n", config.training().epochs(), loss);
    printScores(model, data.get(0), out);
    List<String> tags = new ArrayList<>();
    for (int id : model.predict(List.of(data.get(0))).get(0)) {
      tags.add(vocab.tags().symbol(id));
    }
    out.println("Predicted: " + String.join(" ", tags));
    return tags;
  }

  private static void printScores(TaggerModel model, EncodedSentence s, PrintStream out) {
    Tensor scores = model.forward(Tape.inference(), List.of(s), null); // [1, T, 3]
    for (int t = 0; t < s.length(); t++) {
      StringBuilder row = new StringBuilder("  ");
      for (int k = 0; k < scores.dim(2); k++) {
        row.append(String.format(Locale.ROOT, "%9.4f", scores.get(0, t, k)));
      }
      out.println(row);
    }
  }

  private static Sentence sentence(String text, String tags) {
    String[] w = text.split(" ");
    String[] t = tags.split(" ");
    List<Word> words = new ArrayList<>();
    for (int i = 0; i < w.length; i++) {
      words.add(new Word(i + 1, w[i], "_", t[i], "_", "_"));
    }
    return new Sentence(null, text, words, List.of(), 0);
  }
}
