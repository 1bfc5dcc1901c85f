package org.streamtagger.trainer.tagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.testing.Fixtures;

class TrainerTest {
  @TempDir Path dir;

  @Test
  void learnsAToyLanguageAndWritesCheckpointAndMetrics() throws Exception {
    Path data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    Path out = dir.resolve("run");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Trainer.Result result =
        new Trainer(new PrintStream(log, true, StandardCharsets.UTF_8))
            .train(new Trainer.Options(batched(30), data, data, out, TagColumn.UPOS, 2, 0, 0));

    assertEquals(30, result.epochs().size());
    Trainer.Epoch last = result.epochs().get(29);
    assertTrue(last.devAccuracy() > 0.95, "accuracy " + last.devAccuracy());
    assertTrue(last.loss() < result.epochs().get(0).loss(), "loss went down");

    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals("small", metrics.get("preset").asText());
    assertEquals(30, metrics.get("epochs").size());
    assertTrue(metrics.get("epochs").get(0).has("sentences_per_s"));
    assertTrue(metrics.get("epochs").get(0).has("dev_accuracy"));
    assertTrue(metrics.get("epochs").get(0).has("seconds"));

    Checkpoint.Loaded loaded = Checkpoint.load(out);
    int best = metrics.get("best_epoch").asInt();
    assertEquals(best, ((Number) loaded.info().get("epoch")).intValue());
    assertTrue(Files.size(out.resolve(Checkpoint.FILE_NAME)) > 0);
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("dev accuracy"));
    for (String picture : new String[] {"training.png", "confusion-dev.png"}) {
      byte[] png = Files.readAllBytes(out.resolve(picture));
      assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', picture);
    }
    JsonNode devEval = new ObjectMapper().readTree(out.resolve("dev-evaluation.json").toFile());
    assertTrue(devEval.get("per_tag").has("NOUN"));
  }

  /** A small batched model with dropout: every piece the resume must restore. */
  private static ModelConfig batched(int epochs) {
    return Fixtures.small(epochs, 5);
  }

  /** Trains {@code config} on the toy data (also its dev set), quietly, into {@code out}. */
  private Trainer.Result trainToy(Trainer trainer, ModelConfig config, Path out, int patience)
      throws Exception {
    Path data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    return trainer.train(
        new Trainer.Options(config, data, data, out, TagColumn.UPOS, 1, 0, patience));
  }

  private static Trainer quiet() {
    return new Trainer(new PrintStream(java.io.OutputStream.nullOutputStream()));
  }

  @Test
  void aRunExtendedWithResumeEqualsOneLongRun() throws Exception {
    Trainer.Result full = trainToy(quiet(), batched(4), dir.resolve("straight"), 0);
    Path cut = dir.resolve("cut");
    Trainer.Result first = trainToy(quiet(), batched(2), cut, 0);
    assertEquals(2, first.epochs().size());
    Trainer.Result resumed = quiet().resume(cut, 1, 4);
    assertEquals(4, resumed.epochs().size());
    for (int e = 0; e < 4; e++) {
      assertEquals(full.epochs().get(e).loss(), resumed.epochs().get(e).loss(), 0.0, "epoch " + e);
    }
  }

  @Test
  void aStopRequestSavesStateMidEpochAndResumeFinishesTheSameRun() throws Exception {
    Trainer.Result full = trainToy(quiet(), batched(2), dir.resolve("a"), 0);
    Path b = dir.resolve("b");
    Trainer stopping = quiet();
    stopping.requestStop();
    Trainer.Result stopped = trainToy(stopping, batched(2), b, 0);
    assertTrue(stopped.interrupted());
    assertTrue(Files.exists(b.resolve(TrainingState.FILE_NAME)));
    Trainer.Result resumed = quiet().resume(b, 1, 0);
    assertEquals(2, resumed.epochs().size());
    assertEquals(full.epochs().get(1).loss(), resumed.epochs().get(1).loss(), 0.0);
    assertEquals(full.epochs().get(1).devAccuracy(), resumed.epochs().get(1).devAccuracy(), 0.0);
  }

  @Test
  void patienceStopsEarly() throws Exception {
    Trainer.Result r = trainToy(quiet(), batched(200), dir.resolve("p"), 3);
    assertTrue(r.epochs().size() < 200, "stopped after " + r.epochs().size());
    double best = r.epochs().stream().mapToDouble(Trainer.Epoch::devAccuracy).max().orElseThrow();
    int bestEpoch =
        r.epochs().stream().filter(e -> e.devAccuracy() == best).findFirst().orElseThrow().epoch();
    assertEquals(bestEpoch + 3, r.epochs().size());
  }

  @Test
  void sameSeedSameResult() throws Exception {
    Path data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    Trainer.Options o =
        new Trainer.Options(
            ModelConfig.preset("seed").withEpochs(3), data, null, null, TagColumn.UPOS, 1, 0, 0);
    double a = new Trainer(quiet).train(o).epochs().get(2).loss();
    double b = new Trainer(quiet).train(o).epochs().get(2).loss();
    assertEquals(a, b, 0.0);
  }
}
