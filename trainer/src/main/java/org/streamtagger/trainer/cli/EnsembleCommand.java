package org.streamtagger.trainer.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.autograd.Parallel;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.onnx.Half;
import org.streamtagger.trainer.tagger.Checkpoint;
import org.streamtagger.trainer.tagger.Ensemble;
import org.streamtagger.trainer.tagger.Evaluation;
import org.streamtagger.trainer.tagger.Predictor;
import org.streamtagger.trainer.tagger.TaggerModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tagger ensemble}: several trained taggers as one checkpoint that averages them; {@code
 * --fp16} also rounds their weights to half precision.
 */
@Command(
    name = "ensemble",
    mixinStandardHelpOptions = true,
    description =
        "Combine taggers trained on the same data (other seeds or sizes) into one checkpoint whose"
            + " tag probabilities are the members' mean; prints each member's dev accuracy and the"
            + " ensemble's. Export it like any checkpoint.")
public final class EnsembleCommand implements Callable<Integer> {
  @Option(
      names = "--member",
      required = true,
      paramLabel = "PATH",
      description = "Checkpoint file or training directory of a member (repeat; at least two).")
  List<Path> members;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Checkpoint file.")
  Path out;

  @Option(
      names = "--dev",
      paramLabel = "FILE",
      description = "CoNLL-U dev data to score on (default: EWT dev under $TAGGER_DATA).")
  Path dev;

  @Option(names = "--threads", defaultValue = "2", description = "Threads.")
  int threads;

  @Option(
      names = "--fp16",
      description =
          "Round every weight to half precision (prints the dev accuracy before and after): the"
              + " ONNX export then stores the weights in half the bytes. One --member is enough.")
  boolean fp16;

  @Override
  public Integer call() throws Exception {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    java.util.Set<Path> seen = new java.util.HashSet<>();
    for (Path p : members) {
      Path real = java.nio.file.Files.exists(p) ? p.toRealPath() : p.toAbsolutePath().normalize();
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
    Path devFile = dev != null ? dev : DataLocation.ewt("dev");
    List<EncodedSentence> data = new ArrayList<>();
    for (Sentence s : Treebank.load(devFile, column)) {
      data.add(ensemble.vocabularies().encode(s, column));
    }
    Parallel.setThreads(1); // whole batches go to the threads instead
    List<Double> memberAccuracies = new ArrayList<>();
    for (int i = 0; i < models.size() && models.size() > 1; i++) {
      double accuracy = Evaluation.of(models.get(i), data, threads).accuracy();
      memberAccuracies.add(accuracy);
      System.err.printf(
          Locale.ROOT,
          "member %d (%s): dev %.2f%%%n",
          i + 1,
          memberName(i, models.size()),
          100 * accuracy);
    }
    Evaluation eval = Evaluation.of(ensemble, data, threads);
    String what = models.size() == 1 ? "the model" : "ensemble of " + models.size();
    System.err.printf(
        Locale.ROOT,
        "%s: dev %.2f%% (unseen words %.2f%%)%n",
        what,
        100 * eval.accuracy(),
        100 * eval.oovAccuracy());
    if (fp16) {
      for (TaggerModel m : models) {
        m.parameters().values().forEach(t -> Half.roundAll(t.data));
      }
      double before = eval.accuracy();
      eval = Evaluation.of(ensemble, data, threads);
      System.err.printf(
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
    System.err.println("wrote " + out);
    return 0;
  }

  private String memberName(int i, int models) {
    // A member may itself be an ensemble: then only the position names it.
    return models == members.size() ? members.get(i).toString() : "#" + (i + 1);
  }
}
