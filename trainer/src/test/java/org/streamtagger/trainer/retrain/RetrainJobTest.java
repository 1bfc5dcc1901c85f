package org.streamtagger.trainer.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.tagging.inference.InferenceOptions;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.testing.Fixtures;

/**
 * The whole retraining job on a toy treebank (seconds): three members, ensemble, export, the gate
 * against the bundled model, the model card; stopped while the second member trains and run again,
 * it goes on from there; a candidate worse than the gate allows is refused; bad data and another
 * plan in the same directory are refused before anything trains.
 */
class RetrainJobTest {
  @TempDir Path dir;

  private Path train;
  private Path devFile;

  private RetrainPlan plan(Path baseline, double margin) throws Exception {
    train = Fixtures.conllu(dir, "train.conllu", Fixtures.toySentences());
    devFile = Fixtures.conllu(dir, "dev.conllu", Fixtures.toySentences().subList(0, 4));
    return new RetrainPlan(train, devFile, devFile, "ewt", 6, 0, "toy", "7", baseline, margin);
  }

  /** Prints to the test's output and keeps the lines for the test, telling {@code onLine} each. */
  private static PrintStream lines(List<String> kept, AtomicReference<Runnable> onLine) {
    return new PrintStream(
        new OutputStream() {
          private final ByteArrayOutputStream line = new ByteArrayOutputStream();

          @Override
          public void write(int b) {
            if (b == '\n') {
              String s = line.toString(StandardCharsets.UTF_8);
              line.reset();
              System.out.println(s);
              kept.add(s);
              Runnable r = onLine.get();
              if (r != null) {
                r.run();
              }
            } else {
              line.write(b);
            }
          }
        },
        true,
        StandardCharsets.UTF_8);
  }

  @Test
  void runsTheRecipeGoesOnAfterAStopAndWritesTheCard() throws Exception {
    RetrainPlan plan = plan(null, 100);
    Path out = dir.resolve("job");
    List<String> progress = new ArrayList<>();
    AtomicReference<Runnable> onLine = new AtomicReference<>();
    RetrainJob job = RetrainJob.open(out, plan, 2, lines(progress, onLine));
    onLine.set(
        () -> {
          String last = progress.get(progress.size() - 1);
          if (last.contains("train member-2: epoch 2/6 done")) {
            job.requestStop();
          }
        });
    RetrainJob.Outcome stopped = job.run();
    assertTrue(stopped.interrupted(), "stopped in member-2");
    List<String> howToGoOn =
        progress.stream().filter(l -> l.contains("run the same command again")).toList();
    assertEquals(1, howToGoOn.size(), String.join("\n", progress));
    assertTrue(
        howToGoOn
            .get(0)
            .startsWith("retrain: stopped in member-2, epoch 3 (its state saved at batch"),
        howToGoOn.get(0));
    assertTrue(Files.isRegularFile(out.resolve("member-1/model.ckpt")));
    assertFalse(Files.exists(out.resolve(RetrainJob.ENSEMBLE_FILE)));
    FileTime member1 = Files.getLastModifiedTime(out.resolve("member-1/model.ckpt"));

    progress.clear();
    onLine.set(null);
    RetrainJob again = RetrainJob.open(out, plan(null, 100), 2, lines(progress, onLine));
    RetrainJob.Outcome done = again.run();
    assertFalse(done.interrupted());
    assertTrue(progress.get(0).contains("going on with the job"), progress.get(0));
    assertTrue(progress.stream().noneMatch(l -> l.contains("train member-1")), "member-1 is done");
    assertEquals(member1, Files.getLastModifiedTime(out.resolve("member-1/model.ckpt")));
    String log = Files.readString(out.resolve(RetrainJob.LOG_FILE));
    assertTrue(log.contains("resuming at epoch 3"), "member-2 went on from its saved state");
    assertTrue(
        progress.stream()
            .anyMatch(l -> l.matches("retrain: step 3/7 train member-3: epoch \\d/6 done.*left.*")),
        "one line with the step, the epoch and the time left:\n" + String.join("\n", progress));

    assertTrue(done.gate().accepted(), done.gate().reason());
    try (OnnxTagger candidate = OnnxTagger.load(done.model(), InferenceOptions.defaults())) {
      assertEquals("toy", candidate.model().name());
      assertEquals("7", candidate.model().version());
      assertEquals("3", candidate.model().properties().get("ensemble_members"));
    }
    String card = Files.readString(done.card());
    for (String part :
        List.of(
            "# Model card: toy:7",
            "**Accepted**",
            "| train | train.conllu | 8 |",
            "| member-2 | {seed=2} |",
            "[training](member-1/training.png)",
            "| candidate |",
            "| NOUN |",
            "tokens/s, batch 64")) {
      assertTrue(card.contains(part), part + " in:\n" + card);
    }
    assertTrue(Files.isRegularFile(out.resolve("member-3/training.png")));
    Map<?, ?> json = new ObjectMapper().readValue(out.resolve(ModelCard.JSON).toFile(), Map.class);
    assertEquals(true, ((Map<?, ?>) json.get("gate")).get("accepted"));

    // Run once more: nothing left to do, the same decision.
    RetrainJob.Outcome repeat = RetrainJob.open(out, plan(null, 100), 2, System.out).run();
    assertEquals(done.gate(), repeat.gate());

    // Against the candidate itself, asked to be 100 points better: refused.
    RetrainJob strict =
        RetrainJob.open(dir.resolve("strict"), plan(done.model(), -100), 2, System.out);
    RetrainJob.Outcome refused = strict.run();
    assertFalse(refused.gate().accepted());
    assertTrue(refused.gate().reason().contains("refused"), refused.gate().reason());
    assertTrue(Files.readString(refused.card()).contains("**Refused**"));
  }

  @Test
  void badDataOrAnotherPlanFailBeforeAnythingTrains() throws Exception {
    RetrainPlan good = plan(null, 0.1);
    Path broken = dir.resolve("broken.conllu");
    Files.writeString(broken, "# sent_id = 1\n1\tThe\tthe\tDET\n\n");
    RetrainPlan bad =
        new RetrainPlan(good.train(), broken, null, "ewt", 1, 0, "toy", "1", null, 0.1);
    Treebank.DataException e =
        assertThrows(
            Treebank.DataException.class,
            () -> RetrainJob.open(dir.resolve("bad"), bad, 2, System.out));
    assertTrue(e.getMessage().contains("broken.conllu:2: "), e.getMessage());
    assertFalse(Files.exists(dir.resolve("bad/member-1")));
    Path missing = dir.resolve("missing.conllu");
    RetrainPlan absent =
        new RetrainPlan(missing, good.dev(), null, "ewt", 1, 0, "toy", "1", null, 0.1);
    assertTrue(
        assertThrows(
                Treebank.DataException.class,
                () -> RetrainJob.open(dir.resolve("absent"), absent, 2, System.out))
            .getMessage()
            .contains("missing.conllu: no such file"));

    RetrainJob.open(dir.resolve("job"), good, 2, System.out);
    RetrainPlan other =
        new RetrainPlan(good.train(), good.dev(), null, "seed-char", 1, 0, "toy", "1", null, 0.1);
    IllegalArgumentException different =
        assertThrows(
            IllegalArgumentException.class,
            () -> RetrainJob.open(dir.resolve("job"), other, 2, System.out));
    assertTrue(different.getMessage().contains("preset: ewt -> seed-char"), different.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetrainPlan(good.train(), good.dev(), null, "ewt", 1, 0, "toy", "1", null, 200));
  }
}
