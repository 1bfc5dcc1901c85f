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
            .train(
                new Trainer.Options(
                    ModelConfig.preset("seed-char").withEpochs(150),
                    data,
                    data,
                    out,
                    TagColumn.UPOS,
                    2,
                    0));

    assertEquals(150, result.epochs().size());
    Trainer.Epoch last = result.epochs().get(149);
    assertTrue(last.devAccuracy() > 0.95, "accuracy " + last.devAccuracy());
    assertTrue(last.loss() < result.epochs().get(0).loss(), "loss went down");

    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals("seed-char", metrics.get("preset").asText());
    assertEquals(150, metrics.get("epochs").size());
    assertTrue(metrics.get("epochs").get(0).has("sentences_per_s"));
    assertTrue(metrics.get("epochs").get(0).has("dev_accuracy"));
    assertTrue(metrics.get("epochs").get(0).has("seconds"));

    Checkpoint.Loaded loaded = Checkpoint.load(out);
    int best = metrics.get("best_epoch").asInt();
    assertEquals(best, ((Number) loaded.info().get("epoch")).intValue());
    assertTrue(Files.size(out.resolve(Checkpoint.FILE_NAME)) > 0);
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("dev accuracy"));
  }

  @Test
  void sameSeedSameResult() throws Exception {
    Path data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    Trainer.Options o =
        new Trainer.Options(
            ModelConfig.preset("seed").withEpochs(3), data, null, null, TagColumn.UPOS, 1, 0);
    double a = new Trainer(quiet).train(o).epochs().get(2).loss();
    double b = new Trainer(quiet).train(o).epochs().get(2).loss();
    assertEquals(a, b, 0.0);
  }
}
