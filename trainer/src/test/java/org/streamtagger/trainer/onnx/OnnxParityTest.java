package org.streamtagger.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.tagging.inference.InferenceOptions;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.tagging.inference.Tagging;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.cli.DataLocation;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.data.Vocabularies;
import org.streamtagger.trainer.tagger.Checkpoint;
import org.streamtagger.trainer.tagger.Ensemble;
import org.streamtagger.trainer.tagger.ModelConfig;
import org.streamtagger.trainer.tagger.ModelSettings;
import org.streamtagger.trainer.tagger.Predictor;
import org.streamtagger.trainer.tagger.TaggerModel;
import org.streamtagger.trainer.tagger.Trainer;
import org.streamtagger.trainer.tagger.TrainingSettings;
import org.streamtagger.trainer.testing.Fixtures;

/**
 * Train a small model with a fixed seed, export it, run it in ONNX Runtime (through the processor's
 * tagger) and compare with the Java forward pass: same tags, log-probabilities within 1e-4.
 */
class OnnxParityTest {
  @TempDir Path dir;

  /** Word + char BiLSTM, two sentence layers, small. */
  private static ModelConfig bidirectional() {
    return new ModelConfig(
        "parity",
        ModelSettings.builder()
            .words(12, 1)
            .chars(6, 5, true)
            .sentence(10, true, 2)
            .maxWordChars(8)
            .build(),
        TrainingSettings.builder()
            .adam(1e-2f)
            .schedule(4, 8, true)
            .dropout(0.1f, 0.05f)
            .clipNorm(5f)
            .seed(11)
            .build());
  }

  private TaggerModel train(ModelConfig config, Path data) throws Exception {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    Path out = dir.resolve(config.preset());
    new Trainer(quiet).train(new Trainer.Options(config, data, data, out, TagColumn.UPOS, 1, 0, 0));
    return Checkpoint.load(out).model();
  }

  private OnnxTagger export(TaggerModel model) throws IOException {
    return export(List.of(model));
  }

  private OnnxTagger export(List<TaggerModel> members) throws IOException {
    TaggerModel model = members.get(0);
    Path file = dir.resolve(model.config().preset() + members.size() + ".onnx");
    OnnxExporter.export(
        members,
        Map.of(
            "model_name", "parity",
            "model_version", "1",
            "tag_column", "UPOS",
            "tags", String.join(" ", model.vocabularies().tags().symbols()),
            "max_word_chars", Integer.toString(model.vocabularies().maxWordChars())),
        file);
    return OnnxTagger.load(file, InferenceOptions.defaults().withThreads(1));
  }

  private static List<List<String>> hardSentences() {
    List<List<String>> s = new ArrayList<>();
    s.add(List.of("the", "dog", "runs", "."));
    s.add(List.of("a")); // one token
    s.add(List.of("zebras", "xylophone", "Quux", "!")); // unknown words
    s.add(List.of("the", "supercalifragilisticexpialidocious", "cat", "sleeps")); // > max chars
    s.add(List.of("\uD83D\uDE00", "caf\u00e9", "\u05e9\u05dc\u05d5\u05dd", "dog")); // astral, RTL
    List<String> longSentence = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      longSentence.add(i % 3 == 0 ? "the" : i % 3 == 1 ? "dog" : "runs");
    }
    s.add(longSentence);
    return s;
  }

  private static void assertParity(Predictor model, OnnxTagger onnx, List<List<String>> batch) {
    List<EncodedSentence> encoded = new ArrayList<>();
    for (List<String> tokens : batch) {
      encoded.add(model.vocabularies().encode(tokens, null));
    }
    Tensor java = model.logProbs(encoded); // [B, T, K]
    List<Tagging> ort = onnx.tag(batch);
    int time = java.dim(1);
    int k = java.dim(2);
    double maxDiff = 0;
    for (int b = 0; b < batch.size(); b++) {
      for (int t = 0; t < batch.get(b).size(); t++) {
        int best = 0;
        for (int j = 0; j < k; j++) {
          float jv = java.data[(b * time + t) * k + j];
          maxDiff = Math.max(maxDiff, Math.abs(jv - ort.get(b).logProbs()[t][j]));
          if (jv > java.data[(b * time + t) * k + best]) {
            best = j;
          }
        }
        assertEquals(
            model.vocabularies().tags().symbol(best),
            ort.get(b).tags().get(t),
            "sentence " + b + " token " + t + " '" + batch.get(b).get(t) + "'");
        assertEquals(
            Math.exp(java.data[(b * time + t) * k + best]), ort.get(b).confidence()[t], 1e-4);
      }
    }
    assertTrue(maxDiff <= 1e-4, "max |log-prob difference| " + maxDiff);
  }

  @Test
  void bidirectionalCharModelMatchesOnAMixedBatch() throws Exception {
    Path data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    TaggerModel model = train(bidirectional(), data);
    try (OnnxTagger onnx = export(model)) {
      assertParity(model, onnx, hardSentences());
      for (List<String> s : hardSentences()) {
        assertParity(model, onnx, List.of(s)); // and each alone
      }
    }
  }

  @Test
  void anEnsembleOfTwoSeedsMatches() throws Exception {
    Path data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    TaggerModel first = train(bidirectional(), data);
    TaggerModel second =
        train(bidirectional().withSeed(12).with(Map.of("preset", "parity2")), data);
    Ensemble ensemble = new Ensemble(List.of(first, second));
    try (OnnxTagger onnx = export(ensemble.members())) {
      assertParity(ensemble, onnx, hardSentences());
      assertParity(ensemble, onnx, List.of(hardSentences().get(2)));
    }
  }

  /** The members share one character front end; each reads its own columns of the states. */
  @Test
  void anEnsembleOfMembersWithDifferentCharacterEncodersMatches() throws Exception {
    Path data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    TaggerModel wide = train(bidirectional(), data);
    TaggerModel wordsOnly =
        train(bidirectional().with(Map.of("preset", "words", "char_dim", 0)), data);
    TaggerModel narrow =
        train(
            bidirectional()
                .with(
                    Map.of(
                        "preset",
                        "narrow",
                        "char_hidden",
                        3,
                        "char_bidirectional",
                        false,
                        "seed",
                        5)),
            data);
    Ensemble ensemble = new Ensemble(List.of(wide, wordsOnly, narrow));
    try (OnnxTagger onnx = export(ensemble.members())) {
      assertParity(ensemble, onnx, hardSentences());
      for (List<String> s : hardSentences()) {
        assertParity(ensemble, onnx, List.of(s));
      }
    }
  }

  @Test
  void weightsRoundedToHalfPrecisionAreStoredSoAndStillMatch() throws Exception {
    Path data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    Vocabularies v =
        Vocabularies.build(Treebank.load(data, TagColumn.UPOS), TagColumn.UPOS, 1, true, 8);
    ModelConfig config =
        bidirectional().with(Map.of("preset", "half", "char_hidden", 24, "hidden", 48));
    TaggerModel model = new TaggerModel(config, v);
    Path full = dir.resolve("full.onnx");
    OnnxExporter.export(model, Map.of("model_name", "full"), full);
    model.parameters().values().forEach(t -> Half.roundAll(t.data));
    try (OnnxTagger onnx = export(model)) {
      assertParity(model, onnx, hardSentences());
    }
    long halfSize = Files.size(dir.resolve("half1.onnx"));
    assertTrue(
        halfSize < 0.6 * Files.size(full), halfSize + " bytes vs " + Files.size(full) + " in fp32");
  }

  @Test
  void tutorialSizedWordOnlyModelMatches() throws Exception {
    Path data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    TaggerModel model = train(ModelConfig.preset("seed").withEpochs(5), data);
    try (OnnxTagger onnx = export(model)) {
      assertParity(model, onnx, hardSentences());
    }
  }

  @Test
  void matchesOnEwtDevSentences() throws Exception {
    Path dev = DataLocation.ewt("dev");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(dev), "UD English EWT not found at " + dev + ": skipped");
    List<Sentence> sentences = Treebank.load(dev, TagColumn.UPOS).subList(0, 300);
    Path train = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    TaggerModel model = train(bidirectional(), train);
    try (OnnxTagger onnx = export(model)) {
      for (int i = 0; i < sentences.size(); i += 64) {
        List<List<String>> batch = new ArrayList<>();
        for (Sentence s : sentences.subList(i, Math.min(sentences.size(), i + 64))) {
          batch.add(s.forms());
        }
        assertParity(model, onnx, batch);
      }
    }
  }
}
