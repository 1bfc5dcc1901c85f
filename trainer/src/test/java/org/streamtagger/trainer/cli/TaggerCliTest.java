package org.streamtagger.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
}
