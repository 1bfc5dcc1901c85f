package org.streamtagger.trainer.tagger;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.data.EncodedSentence;

/**
 * Training on a teacher's soft distributions: the teacher (any checkpoint, an ensemble too) tags
 * every training sentence once with our own forward pass, and each epoch's loss mixes the
 * cross-entropy with those distributions at {@code temperature} and the gold tags' ({@link
 * org.streamtagger.trainer.autograd.Ops#distillationLoss}). The distributions are computed once and
 * kept: the teacher's forward pass costs about a student epoch's worth of the shipped ensemble's
 * inference, and its output does not change (no dropout at inference).
 *
 * @param teacher the teacher's checkpoint
 * @param temperature above 0; higher spreads the teacher's probability over more tags
 * @param softWeight the share of the loss from the teacher, in [0, 1]
 */
public record Distillation(Path teacher, float temperature, float softWeight) {
  private static final int BATCH = 64;

  public Distillation {
    if (!(temperature > 0f) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("--temperature must be > 0, got " + temperature);
    }
    if (!(softWeight >= 0f && softWeight <= 1f)) {
      throw new IllegalArgumentException("--soft-weight must be in [0, 1], got " + softWeight);
    }
  }

  Map<String, Object> asMap() {
    return Map.of(
        "teacher", teacher.toAbsolutePath().normalize().toString(),
        "temperature", (double) temperature,
        "soft_weight", (double) softWeight);
  }

  static Distillation fromMap(Map<String, Object> m) {
    return new Distillation(
        Path.of((String) m.get("teacher")),
        ((Number) m.get("temperature")).floatValue(),
        ((Number) m.get("soft_weight")).floatValue());
  }

  /**
   * The teacher's distributions at {@link #temperature} over each training sentence's words, in the
   * student's tag order: {@code [length * tags]} per sentence.
   *
   * @param studentTags the student's tag set, in id order
   * @throws IllegalArgumentException if the teacher tags another column or another tag set
   */
  float[][] targets(
      List<Sentence> train, TagColumn column, List<String> studentTags, PrintStream log)
      throws IOException {
    long start = System.nanoTime();
    Checkpoint.Loaded loaded = Checkpoint.load(teacher);
    if (loaded.column() != column) {
      throw new IllegalArgumentException(
          "--teacher " + teacher + " tags " + loaded.column() + ", the data's column is " + column);
    }
    List<String> teacherTags = loaded.vocabularies().tags().symbols();
    if (!new TreeSet<>(teacherTags).equals(new TreeSet<>(studentTags))) {
      TreeSet<String> extra = new TreeSet<>(teacherTags);
      extra.removeAll(studentTags);
      TreeSet<String> missing = new TreeSet<>(studentTags);
      missing.removeAll(teacherTags);
      throw new IllegalArgumentException(
          "--teacher "
              + teacher
              + " has another tag set than the training data (teacher only "
              + extra
              + ", data only "
              + missing
              + ")");
    }
    int c = studentTags.size();
    int[] toStudent = new int[c];
    for (int k = 0; k < c; k++) {
      toStudent[k] = studentTags.indexOf(teacherTags.get(k));
    }
    Predictor p = loaded.predictor();
    float[][] out = new float[train.size()][];
    for (int from = 0; from < train.size(); from += BATCH) {
      List<EncodedSentence> batch = new ArrayList<>();
      for (Sentence s : train.subList(from, Math.min(train.size(), from + BATCH))) {
        batch.add(p.vocabularies().encode(s, column));
      }
      Tensor lp = p.logProbs(batch); // [B, T, C]
      int time = lp.dim(1);
      for (int i = 0; i < batch.size(); i++) {
        int len = batch.get(i).length();
        float[] dist = new float[len * c];
        for (int t = 0; t < len; t++) {
          int o = (i * time + t) * c;
          double max = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < c; k++) {
            max = Math.max(max, lp.data[o + k] / temperature);
          }
          double sum = 0;
          for (int k = 0; k < c; k++) {
            sum += Math.exp(lp.data[o + k] / temperature - max);
          }
          for (int k = 0; k < c; k++) {
            dist[t * c + toStudent[k]] =
                (float) (Math.exp(lp.data[o + k] / temperature - max) / sum);
          }
        }
        out[from + i] = dist;
      }
    }
    log.printf(
        Locale.ROOT,
        "teacher %s: distributions of %,d sentences at temperature %.2f in %.1f s (kept for every"
            + " epoch), soft weight %.2f%n",
        teacher,
        train.size(),
        temperature,
        (System.nanoTime() - start) / 1e9,
        softWeight);
    return out;
  }
}
