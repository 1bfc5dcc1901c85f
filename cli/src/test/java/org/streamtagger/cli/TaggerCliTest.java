package org.streamtagger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.data.Vocabularies;
import org.streamtagger.trainer.tagger.Checkpoint;
import org.streamtagger.trainer.tagger.ModelConfig;
import org.streamtagger.trainer.tagger.TaggerModel;
import org.streamtagger.trainer.testing.Fixtures;
import picocli.CommandLine;

class TaggerCliTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = TaggerCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    return cli.execute(args);
  }

  private String firstErrorLine() {
    return err.toString().lines().findFirst().orElse("");
  }

  @Test
  void unknownPresetIsOneLineAndExitOne() throws Exception {
    Path data = Fixtures.conllu(dir, "t.conllu", Fixtures.toySentences());
    assertEquals(1, run("train", "--preset", "huge", "--train", data.toString()));
    assertEquals(
        "error: unknown preset 'huge': expected one of seed, seed-char, ewt, ewt-plus",
        firstErrorLine());
  }

  @Test
  void badOptionValueIsOneLineAndExitTwo() {
    assertEquals(2, run("train", "--epochs", "many"));
    assertTrue(
        firstErrorLine().startsWith("error: Invalid value for option '--epochs'"), err.toString());
  }

  @Test
  void missingDataFileIsNamed() {
    Path missing = dir.resolve("absent.conllu");
    assertEquals(1, run("train", "--preset", "seed", "--train", missing.toString()));
    assertEquals("error: " + missing + ": no such file", firstErrorLine());
  }

  @Test
  void malformedConlluNamesFileAndLine() throws Exception {
    Path bad = java.nio.file.Files.writeString(dir.resolve("bad.conllu"), "1\tonly three\tcols\n");
    assertEquals(1, run("train", "--preset", "seed", "--train", bad.toString()));
    assertEquals(
        "error: " + bad + ":1: expected 10 tab-separated columns, found 3", firstErrorLine());
  }

  @Test
  void negativeEpochsAreRefused() {
    assertEquals(1, run("bench", "train", "--preset", "seed", "--epochs", "0"));
    assertEquals("error: epochs must be positive, got 0", firstErrorLine());
  }

  @Test
  void ensembleCombinesCheckpointsAndRefusesMembersThatDoNotFit() throws Exception {
    Path data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    var sentences = Treebank.load(data, TagColumn.UPOS);
    Vocabularies v = Vocabularies.build(sentences, TagColumn.UPOS, 1, true, 32);
    ModelConfig config = ModelConfig.preset("ewt").with(Map.of("word_dim", 6, "hidden", 4));
    Path a = dir.resolve("a.ckpt");
    Path b = dir.resolve("b.ckpt");
    Checkpoint.save(a, new TaggerModel(config, v), TagColumn.UPOS, Map.of());
    Checkpoint.save(b, new TaggerModel(config.withSeed(2), v), TagColumn.UPOS, Map.of());
    Path out = dir.resolve("ensemble.ckpt");
    String[] args = {"ensemble", "--member", a.toString(), "--member", b.toString()};
    assertEquals(0, run(concat(args, "--out", out.toString(), "--dev", data.toString())));
    assertEquals(2, Checkpoint.load(out).members().size());

    Vocabularies other = Vocabularies.build(sentences.subList(0, 1), TagColumn.UPOS, 1, true, 32);
    Checkpoint.save(b, new TaggerModel(config, other), TagColumn.UPOS, Map.of());
    assertEquals(1, run(concat(args, "--out", out.toString(), "--dev", data.toString())));
    assertTrue(firstErrorLine().contains("same data"), firstErrorLine());
    assertEquals(1, run("ensemble", "--member", a.toString(), "--out", out.toString()));
    assertTrue(err.toString().contains("at least two"), err.toString());
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
