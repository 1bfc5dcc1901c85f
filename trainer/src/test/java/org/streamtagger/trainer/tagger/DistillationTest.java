package org.streamtagger.trainer.tagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.testing.Fixtures;

/**
 * Training on a teacher's distributions: a student learns the toy language from a trained teacher
 * alone (soft weight 1), the teacher changes what is learnt, a resumed distillation equals one long
 * run, and a teacher of another column or tag set is refused before training.
 */
class DistillationTest {
  @TempDir Path dir;

  private static ModelConfig small(int epochs, long seed) {
    return Fixtures.small(epochs, seed);
  }

  private static Trainer quiet() {
    return new Trainer(new PrintStream(java.io.OutputStream.nullOutputStream()));
  }

  private Trainer.Result train(ModelConfig c, Path out, Distillation d, Trainer trainer)
      throws Exception {
    Path data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    return trainer.train(new Trainer.Options(c, data, data, out, TagColumn.UPOS, 1, 0, 0, d));
  }

  @Test
  void aStudentLearnsFromTheTeacherAloneAndResumesAsOneRun() throws Exception {
    Path teacher = dir.resolve("teacher");
    Trainer.Result t = train(small(30, 5), teacher, null, quiet());
    assertTrue(t.epochs().get(29).devAccuracy() > 0.95);

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Trainer.Result student =
        train(
            small(30, 9),
            dir.resolve("student"),
            new Distillation(teacher, 2f, 1f),
            new Trainer(new PrintStream(log, true, StandardCharsets.UTF_8)));
    // No gold tag in its loss, seven tags to choose from: only the teacher can have taught this.
    assertTrue(
        student.epochs().get(29).devAccuracy() > 0.9,
        "from the teacher alone: " + student.epochs().get(29).devAccuracy());
    assertTrue(
        log.toString(StandardCharsets.UTF_8)
            .contains("distributions of 8 sentences at temperature 2.00"));
    Trainer.Result plain = train(small(30, 9), dir.resolve("plain"), null, quiet());
    assertNotEquals(
        plain.epochs().get(0).loss(),
        student.epochs().get(0).loss(),
        "the teacher changes the loss");

    Trainer.Result full =
        train(small(4, 9), dir.resolve("straight"), new Distillation(teacher, 3f, 0.7f), quiet());
    Path cut = dir.resolve("cut");
    train(small(2, 9), cut, new Distillation(teacher, 3f, 0.7f), quiet());
    Trainer.Result resumed = quiet().resume(cut, 1, 4);
    for (int e = 0; e < 4; e++) {
      assertEquals(full.epochs().get(e).loss(), resumed.epochs().get(e).loss(), 0.0, "epoch " + e);
    }
  }

  @Test
  void aTeacherOfAnotherColumnOrTagSetAndBadSettingsAreRefused() throws Exception {
    Path data = Fixtures.conllu(dir, "toy.conllu", Fixtures.toySentences());
    Path xposTeacher = dir.resolve("xpos");
    quiet()
        .train(new Trainer.Options(small(1, 5), data, data, xposTeacher, TagColumn.XPOS, 1, 0, 0));
    IllegalArgumentException column =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                train(
                    small(1, 9),
                    dir.resolve("s1"),
                    new Distillation(xposTeacher, 2f, 0.5f),
                    quiet()));
    assertTrue(
        column.getMessage().contains("tags XPOS, the data's column is UPOS"), column.getMessage());

    Path fewer =
        Fixtures.conllu(
            dir,
            "fewer.conllu",
            List.of("the/DET dog/NOUN runs/VERB", "a/DET cat/NOUN sleeps/VERB"));
    Path fewerTeacher = dir.resolve("fewer-teacher");
    quiet()
        .train(
            new Trainer.Options(small(1, 5), fewer, fewer, fewerTeacher, TagColumn.UPOS, 1, 0, 0));
    IllegalArgumentException tags =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                train(
                    small(1, 9),
                    dir.resolve("s2"),
                    new Distillation(fewerTeacher, 2f, 0.5f),
                    quiet()));
    assertTrue(tags.getMessage().contains("data only [ADJ, ADV, PUNCT]"), tags.getMessage());

    assertThrows(IllegalArgumentException.class, () -> new Distillation(xposTeacher, 0f, 0.5f));
    assertThrows(IllegalArgumentException.class, () -> new Distillation(xposTeacher, -1f, 0.5f));
    assertThrows(IllegalArgumentException.class, () -> new Distillation(xposTeacher, 2f, 1.5f));
  }
}
