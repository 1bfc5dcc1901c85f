package org.streamtagger.trainer.tagger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.streamtagger.trainer.autograd.Ops;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Vocabularies;
import org.streamtagger.trainer.nn.CharEncoder;
import org.streamtagger.trainer.nn.Embedding;
import org.streamtagger.trainer.nn.Linear;
import org.streamtagger.trainer.nn.Module;
import org.streamtagger.trainer.nn.Recurrent;

/**
 * The tagger: for each word, {@code [word embedding ; character encoding]} → dropout → sentence
 * (Bi)LSTM → dropout → linear map to tag scores → log-softmax. Without a character encoder it is
 * exactly the tutorial's {@code LSTMTagger}.
 */
public final class TaggerModel implements Module, Predictor {
  private final ModelConfig config;
  private final Vocabularies vocabularies;
  private final Embedding words;
  private final CharEncoder chars;
  private final List<Recurrent> sentence;
  private final Linear output;

  /** A freshly initialised model, seeded by {@code config.training().seed()}. */
  public TaggerModel(ModelConfig config, Vocabularies vocabularies) {
    this.config = config.validate();
    this.vocabularies = vocabularies;
    RandomGenerator random = new SplittableRandom(config.training().seed());
    words = new Embedding(vocabularies.words().size(), config.model().wordDim(), random);
    chars =
        config.model().hasCharEncoder()
            ? new CharEncoder(
                vocabularies.chars().size(),
                config.model().charDim(),
                config.model().charHidden(),
                config.model().charBidirectional(),
                random)
            : null;
    int in = config.model().wordDim() + (chars == null ? 0 : chars.outputDim());
    List<Recurrent> layers = new ArrayList<>();
    for (int l = 0; l < config.model().layers(); l++) {
      Recurrent layer =
          Recurrent.create(in, config.model().hidden(), config.model().bidirectional(), random);
      layers.add(layer);
      in = layer.outputDim();
    }
    sentence = List.copyOf(layers);
    output = new Linear(in, vocabularies.tags().size(), random);
  }

  /**
   * Tag log-probabilities of a batch of sentences.
   *
   * @param random source of dropout and word dropout on a recording tape; unused otherwise
   * @return {@code [B, T, tags]}, {@code T} the longest sentence; rows past a sentence's length are
   *     padding
   */
  public Tensor forward(Tape tape, List<EncodedSentence> batch, RandomGenerator random) {
    int b = batch.size();
    int[] lengths = new int[b];
    int time = 0;
    int tokens = 0;
    for (int i = 0; i < b; i++) {
      lengths[i] = batch.get(i).length();
      if (lengths[i] == 0) {
        throw new IllegalArgumentException("sentence " + i + " of the batch is empty");
      }
      time = Math.max(time, lengths[i]);
      tokens += lengths[i];
    }
    boolean training = tape.isRecording();
    int unk = vocabularies.words().unkId();
    int[] wordIds = new int[b * time]; // [B, T], id 0 (pad or <unk>) past each length
    int[] positions = new int[tokens]; // flat [B*T] index of each real token
    int[][] charIds = new int[tokens][];
    int n = 0;
    for (int i = 0; i < b; i++) {
      EncodedSentence s = batch.get(i);
      for (int t = 0; t < s.length(); t++) {
        int id = s.words()[t];
        if (training
            && config.training().wordDropout() > 0f
            && random.nextFloat() < config.training().wordDropout()) {
          id = unk;
        }
        wordIds[i * time + t] = id;
        positions[n] = i * time + t;
        charIds[n] = s.chars()[t];
        n++;
      }
    }
    Tensor x = words.forward(tape, wordIds); // [B*T, wordDim]
    if (chars != null) {
      Tensor c = chars.forward(tape, charIds); // [tokens, charOut]
      if (tokens != b * time) {
        c = Ops.scatterRows(tape, c, positions, b * time); // [B*T, charOut]
      }
      x = Ops.concat(tape, x, c);
    }
    x = Ops.dropout(tape, x, config.training().dropout(), random).view(b, time, x.dim(-1));
    Tensor h = x;
    for (Recurrent layer : sentence) {
      h = layer.forward(tape, h, lengths).outputs(); // [B, T, H']
      h = Ops.dropout(tape, h, config.training().dropout(), random);
    }
    return Ops.logSoftmax(tape, output.forward(tape, h)); // [B, T, tags]
  }

  /** Mean negative log-likelihood of the gold tags over the batch's real tokens. */
  public Tensor loss(Tape tape, Tensor logProbs, List<EncodedSentence> batch) {
    int time = logProbs.dim(1);
    int[] targets = new int[batch.size() * time];
    Arrays.fill(targets, -1);
    for (int i = 0; i < batch.size(); i++) {
      int[] tags = batch.get(i).tags();
      System.arraycopy(tags, 0, targets, i * time, tags.length);
    }
    return Ops.nllLoss(tape, logProbs, targets);
  }

  /**
   * The distillation loss over the batch's real tokens: the teacher's distributions ({@code [length
   * * tags]} per sentence, in this model's tag order) mixed with the gold tags.
   */
  public Tensor distillationLoss(
      Tape tape,
      Tensor logProbs,
      List<EncodedSentence> batch,
      List<float[]> teacher,
      Distillation d) {
    int time = logProbs.dim(1);
    int c = logProbs.dim(2);
    int[] targets = new int[batch.size() * time];
    Arrays.fill(targets, -1);
    float[] soft = new float[logProbs.size()];
    for (int i = 0; i < batch.size(); i++) {
      int[] tags = batch.get(i).tags();
      System.arraycopy(tags, 0, targets, i * time, tags.length);
      System.arraycopy(teacher.get(i), 0, soft, i * time * c, tags.length * c);
    }
    return Ops.distillationLoss(tape, logProbs, soft, targets, d.temperature(), d.softWeight());
  }

  @Override
  public Tensor logProbs(List<EncodedSentence> batch) {
    return forward(Tape.inference(), batch, null);
  }

  public ModelConfig config() {
    return config;
  }

  @Override
  public Vocabularies vocabularies() {
    return vocabularies;
  }

  @Override
  public Map<String, Tensor> parameters() {
    Map<String, Tensor> p = Module.ordered();
    Module.collect(p, "word_embedding", words);
    if (chars != null) {
      Module.collect(p, "char_encoder", chars);
    }
    for (int l = 0; l < sentence.size(); l++) {
      // The first layer keeps the unsuffixed name, so one-layer checkpoints read the same.
      Module.collect(p, l == 0 ? "sentence_lstm" : "sentence_lstm" + (l + 1), sentence.get(l));
    }
    Module.collect(p, "output", output);
    return p;
  }
}
