package org.streamtagger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
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

/**
 * What a new user gets wrong: each gives one line that names the problem and a non-zero exit,
 * before any long work, and leaves nothing behind.
 */
class BadInputTest {
  @TempDir Path dir;
  private StringWriter err;
  private Path data;
  private Path checkpoint;

  @BeforeEach
  void fixtures() throws Exception {
    data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    Vocabularies v =
        Vocabularies.build(Treebank.load(data, TagColumn.UPOS), TagColumn.UPOS, 1, true, 32);
    ModelConfig config = ModelConfig.preset("ewt").with(Map.of("word_dim", 6, "hidden", 4));
    checkpoint = dir.resolve("a.ckpt");
    Checkpoint.save(checkpoint, new TaggerModel(config, v), TagColumn.UPOS, Map.of());
  }

  /** Runs the command line and returns its error output's first line, checking the exit code. */
  private String refused(int exit, String... args) {
    CommandLine cli = TaggerCli.commandLine();
    err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    assertEquals(exit, cli.execute(args), String.join(" ", args) + ": " + err);
    return err.toString().lines().findFirst().orElse("");
  }

  @Test
  void benchInferRefusesSizesBelowOne() {
    assertEquals(
        "error: --batches must be at least 1, got 0",
        refused(1, "bench", "infer", "--batches", "0"));
    assertEquals(
        "error: --batches must be at least 1, got -1",
        refused(1, "bench", "infer", "--batches", "1,-1"));
    assertEquals(
        "error: --repeats must be at least 1, got 0",
        refused(1, "bench", "infer", "--repeats", "0"));
    assertEquals(
        "error: --repeats must be at least 1, got -1",
        refused(1, "bench", "infer", "--repeats", "-1"));
    assertEquals(
        "error: --threads must be at least 1, got 0",
        refused(1, "bench", "infer", "--threads", "0"));
  }

  @Test
  void evaluateRefusesANegativeCountAndReadsACheckpointWithoutBeingTold() throws Exception {
    assertEquals(
        "error: --confusions must be >= 0, got -1",
        refused(1, "evaluate", "--data", data.toString(), "--confusions", "-1"));
    // A training directory with the default engine: evaluated by the Java engine, not parsed as
    // ONNX.
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.copy(checkpoint, run.resolve(Checkpoint.FILE_NAME));
    java.io.PrintStream stdout = System.out;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
      exit =
          TaggerCli.commandLine()
              .execute("evaluate", "--model", run.toString(), "--data", data.toString());
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, exit);
    assertTrue(
        out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("java engine"),
        out.toString());
    assertTrue(
        refused(
                1,
                "evaluate",
                "--engine",
                "onnx",
                "--model",
                run.toString(),
                "--data",
                data.toString())
            .contains("is a checkpoint, which the onnx engine does not read"));
  }

  @Test
  void demoRefusesANonPositiveTimeout() {
    assertEquals(
        "error: --timeout must be at least 1 second, got -5",
        refused(1, "demo", "--timeout", "-5"));
  }

  @Test
  void missingCheckpointsAreNamedAsSuch() {
    String none = dir.resolve("no-such-run").toString();
    assertEquals(
        "error: " + none + ": no such checkpoint file or training directory",
        refused(1, "export", "--checkpoint", none, "--out", dir.resolve("m.onnx").toString()));
    assertEquals(
        "error: " + none + ": no such checkpoint file or training directory",
        refused(
            1, "ensemble", "--member", none, "--member", checkpoint.toString(), "--out", "x.ckpt"));
    Path empty = dir.resolve("empty-dir");
    assertTrue(empty.toFile().mkdir());
    assertTrue(
        refused(1, "export", "--checkpoint", empty.toString(), "--out", "m.onnx")
            .endsWith("a directory without model.ckpt (not a finished training run)"));
  }

  @Test
  void exportToADirectoryIsRefusedAndLeavesNothingBehind() throws Exception {
    Path target = Files.createDirectories(dir.resolve("models"));
    assertEquals(
        "error: " + target + " is a directory: name the .onnx file to write",
        refused(1, "export", "--checkpoint", checkpoint.toString(), "--out", target.toString()));
    assertFalse(Files.exists(dir.resolve("models.tmp")), "no stray models.tmp");
  }

  @Test
  void ensembleRefusesBadThreadsAndAMemberTwice() {
    String a = checkpoint.toString();
    assertEquals(
        "error: --threads must be >= 1, got -2",
        refused(1, "ensemble", "--member", a, "--member", a, "--out", "x.ckpt", "--threads", "-2"));
    String sameOtherwiseSpelled = dir.resolve(".").resolve("a.ckpt").toString();
    assertEquals(
        "error: --member "
            + sameOtherwiseSpelled
            + " is given twice: an ensemble's members must be different models",
        refused(1, "ensemble", "--member", a, "--member", sameOtherwiseSpelled, "--out", "x.ckpt"));
  }

  @Test
  void trainRefusesAnOutputThatIsAFileOrHoldsARunBeforeTraining() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertEquals(
        "error: --out " + file + " is a file, not a directory",
        refused(
            1,
            "train",
            "--preset",
            "seed",
            "--train",
            data.toString(),
            "--dev",
            data.toString(),
            "--out",
            file.toString()));
    Path run = Files.createDirectories(dir.resolve("earlier"));
    Files.copy(checkpoint, run.resolve(Checkpoint.FILE_NAME));
    assertTrue(
        refused(
                1,
                "train",
                "--preset",
                "seed",
                "--train",
                data.toString(),
                "--dev",
                data.toString(),
                "--out",
                run.toString())
            .startsWith("error: --out " + run + " holds an earlier run: --resume"));
    assertEquals(
        Files.size(checkpoint), Files.size(run.resolve(Checkpoint.FILE_NAME)), "not touched");
  }

  @Test
  void distillingRefusesATeacherThatIsNotACheckpointAndBadSettings() throws Exception {
    Path notes = Files.writeString(dir.resolve("teacher.txt"), "not a model");
    String[] common = {
      "train", "--train", data.toString(), "--dev", data.toString(), "--epochs", "1"
    };
    assertEquals(
        "error: --teacher " + notes + " is not a checkpoint (a model.ckpt or a training directory)",
        refused(
            1,
            concat(common, "--out", dir.resolve("d1").toString(), "--teacher", notes.toString())));
    assertEquals(
        "error: --temperature must be > 0, got 0.0",
        refused(
            1,
            concat(
                common,
                "--out",
                dir.resolve("d2").toString(),
                "--teacher",
                checkpoint.toString(),
                "--temperature",
                "0")));
    assertEquals(
        "error: --soft-weight must be in [0, 1], got 2.0",
        refused(
            1,
            concat(
                common,
                "--out",
                dir.resolve("d3").toString(),
                "--teacher",
                checkpoint.toString(),
                "--soft-weight",
                "2")));
    assertFalse(Files.exists(dir.resolve("d1")) || Files.exists(dir.resolve("d2")));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void setValuesAreParsedByTheirType() {
    assertEquals(
        "error: --set shuffle=1: expected true or false",
        refused(
            1,
            "bench",
            "train",
            "--preset",
            "seed",
            "--train",
            data.toString(),
            "--set",
            "shuffle=1"));
    assertEquals(
        "error: --set hidden=big: expected an integer",
        refused(
            1,
            "bench",
            "train",
            "--preset",
            "seed",
            "--train",
            data.toString(),
            "--set",
            "hidden=big"));
    assertTrue(
        refused(
                1,
                "bench",
                "train",
                "--preset",
                "seed",
                "--train",
                data.toString(),
                "--set",
                "colour=3")
            .startsWith("error: --set unknown config key 'colour': expected one of"));
  }

  @Test
  void tokenizeSaysWhatItCannotDo() throws Exception {
    assertEquals(
        "error: --tagging and --json go with --eval FILE", refused(1, "tokenize", "--json", "Hi"));
    assertEquals(
        "error: --tagging and --json go with --eval FILE",
        refused(1, "tokenize", "--tagging", "Hi"));
    Path missing = dir.resolve("missing.conllu");
    assertEquals(
        "error: " + missing + ": no such file",
        refused(1, "tokenize", "--eval", missing.toString()));
    assertEquals(
        "error: " + dir + ": a directory, not a CoNLL-U file",
        refused(1, "tokenize", "--eval", dir.toString()));
    Path empty = Files.writeString(dir.resolve("empty.conllu"), "");
    assertTrue(
        refused(1, "tokenize", "--eval", empty.toString())
            .startsWith("error: " + empty + ": no sentence with a '# text' line"));
  }

  @Test
  void runRefusesAConfigurationThatIsNotAPropertiesFile() throws Exception {
    Path binary =
        Files.write(dir.resolve("config.bin"), new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 1});
    assertTrue(
        refused(1, "run", "--config", binary.toString())
            .startsWith("error: " + binary + ": not a properties file"));
    Path bad = Files.writeString(dir.resolve("p.properties"), "tagger.intra.op.threads=abc\n");
    assertEquals(
        "error: " + bad + ":1: tagger.intra.op.threads=abc: not a number of type INT",
        refused(1, "run", "--config", bad.toString()));
  }
}
