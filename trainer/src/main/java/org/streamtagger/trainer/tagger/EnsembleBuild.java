package org.streamtagger.trainer.tagger;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.autograd.Parallel;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.onnx.Half;

/**
 * Several trained taggers as one checkpoint that averages their tag probabilities, optionally with
 * every weight rounded to half precision; each member and the result scored on dev.
 */
public final class EnsembleBuild {
  private EnsembleBuild() {}

  /**
   * What was built.
   *
   * @param memberDev each member's dev accuracy (empty for a single model)
   * @param dev the result's dev accuracy (after rounding, with {@code fp16})
   * @param devOov its accuracy on dev words unseen in training
   * @param devBeforeRounding the dev accuracy before rounding (NaN without {@code fp16})
   */
  public record Built(
      List<Double> memberDev, double dev, double devOov, double devBeforeRounding) {}

  /**
   * Builds, scores and saves the ensemble of {@code members} as {@code out}.
   *
   * @throws IllegalArgumentException if a member is given twice, the members predict different
   *     columns or have different vocabularies, or fewer than two are given without {@code fp16}
   */
  public static Built build(
      List<Path> members, boolean fp16, Path devFile, Path out, int threads, PrintStream log)
      throws IOException, Treebank.DataException {
    Set<Path> seen = new HashSet<>();
    for (Path p : members) {
      Path real = Files.exists(p) ? p.toRealPath() : p.toAbsolutePath().normalize();
      if (!seen.add(real)) {
        throw new IllegalArgumentException(
            "--member " + p + " is given twice: an ensemble's members must be different models");
      }
    }
    List<TaggerModel> models = new ArrayList<>();
    TagColumn column = null;
    Map<String, Object> info = null;
    for (Path p : members) {
      Checkpoint.Loaded loaded = Checkpoint.load(p);
      if (column != null && loaded.column() != column) {
        throw new IllegalArgumentException(
            p + ": predicts " + loaded.column() + " tags, the first member " + column);
      }
      column = loaded.column();
      info = info != null ? info : new LinkedHashMap<>(loaded.info());
      models.addAll(loaded.members());
    }
    if (models.size() < 2 && !fp16) {
      throw new IllegalArgumentException(
          "an ensemble needs at least two --member checkpoints (or --fp16 to round one)");
    }
    Predictor ensemble;
    try {
      ensemble = models.size() == 1 ? models.get(0) : new Ensemble(models);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage() + ": members must be trained on the same data with the same min_count");
    }
    List<EncodedSentence> data = Treebank.loadEncoded(devFile, column, ensemble.vocabularies());
    Parallel.setThreads(1); // whole batches go to the threads instead
    List<Double> memberAccuracies = new ArrayList<>();
    for (int i = 0; i < models.size() && models.size() > 1; i++) {
      double accuracy = Evaluation.of(models.get(i), data, threads).accuracy();
      memberAccuracies.add(accuracy);
      log.printf(
          Locale.ROOT,
          "member %d (%s): dev %.2f%%%n",
          i + 1,
          models.size() == members.size() ? members.get(i).toString() : "#" + (i + 1),
          100 * accuracy);
    }
    Evaluation eval = Evaluation.of(ensemble, data, threads);
    String what = models.size() == 1 ? "the model" : "ensemble of " + models.size();
    log.printf(
        Locale.ROOT,
        "%s: dev %.2f%% (unseen words %.2f%%)%n",
        what,
        100 * eval.accuracy(),
        100 * eval.oovAccuracy());
    double before = Double.NaN;
    if (fp16) {
      for (TaggerModel m : models) {
        m.parameters().values().forEach(t -> Half.roundAll(t.data));
      }
      before = eval.accuracy();
      eval = Evaluation.of(ensemble, data, threads);
      log.printf(
          Locale.ROOT,
          "%s, weights rounded to fp16: dev %.2f%% (unseen words %.2f%%), %+.3f points%n",
          what,
          100 * eval.accuracy(),
          100 * eval.oovAccuracy(),
          100 * (eval.accuracy() - before));
    }
    info.put("member_dev_accuracies", memberAccuracies);
    info.put("dev_file", devFile.getFileName().toString());
    info.put("dev_accuracy", eval.accuracy());
    info.put("dev_oov_accuracy", eval.oovAccuracy());
    info.remove("epoch");
    info.put("fp16_weights", fp16);
    Checkpoint.save(out, models, column, info);
    log.println("wrote " + out);
    return new Built(memberAccuracies, eval.accuracy(), eval.oovAccuracy(), before);
  }
}
