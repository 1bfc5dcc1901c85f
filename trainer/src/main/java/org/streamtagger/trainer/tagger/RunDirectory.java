package org.streamtagger.trainer.tagger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run leaves in its directory: the best-dev checkpoint, its dev evaluation and
 * confusion chart, the metrics of every epoch, the training curves, and the state that {@code
 * --resume} continues from.
 */
final class RunDirectory {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final Trainer.Options options;
  private final int trainSentences;
  private final long trainTokens;

  /** The run's directory, created now (so that a path that cannot be one fails before training). */
  RunDirectory(Trainer.Options options, int trainSentences, long trainTokens) throws IOException {
    this.dir = options.outDir();
    this.options = options;
    this.trainSentences = trainSentences;
    this.trainTokens = trainTokens;
    Files.createDirectories(dir);
  }

  Path path() {
    return dir;
  }

  /** After an epoch: the checkpoint and dev evaluation if it was the best, metrics and charts. */
  void epochDone(
      TaggerModel model, Trainer.Epoch epoch, Evaluation dev, boolean best, List<Trainer.Epoch> all)
      throws IOException {
    if (best || dev == null) {
      Checkpoint.save(
          dir.resolve(Checkpoint.FILE_NAME), model, options.column(), checkpointInfo(epoch));
    }
    if (dev != null && best) {
      JSON.writeValue(
          dir.resolve(Trainer.DEV_EVALUATION_FILE).toFile(), EvaluationReport.asMap(dev, 20));
      TrainingCharts.confusion(
          dir.resolve(TrainingCharts.CONFUSION_FILE),
          "Dev confusions (" + options.column() + "), best epoch",
          dev);
    }
    writeMetrics(model, all);
    TrainingCharts.curves(
        dir.resolve(TrainingCharts.CURVES_FILE),
        model.config().preset() + " on " + options.trainFile().getFileName(),
        all);
  }

  /** The weights, optimizer state and position that {@code --resume} continues from. */
  void saveState(TaggerModel model, Optimization optimization, TrainingState.Position position)
      throws IOException {
    Checkpoint.save(dir.resolve(TrainingState.WEIGHTS_FILE), model, options.column(), Map.of());
    TrainingState.save(dir, position, optimization.adam, optimization.average);
  }

  /** What the run was started with, for {@code --resume}. */
  Map<String, Object> startedWith() {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("config", options.config().asMap());
    run.put("train_file", options.trainFile().toAbsolutePath().toString());
    run.put(
        "dev_file",
        options.devFile() == null ? null : options.devFile().toAbsolutePath().toString());
    run.put("column", options.column().name());
    run.put("limit", options.limit());
    run.put("patience", options.patience());
    run.put("distillation", options.distillation() == null ? null : options.distillation().asMap());
    return run;
  }

  private Map<String, Object> checkpointInfo(Trainer.Epoch e) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("train_file", options.trainFile().getFileName().toString());
    info.put("train_sentences", trainSentences);
    info.put(
        "dev_file", options.devFile() == null ? null : options.devFile().getFileName().toString());
    info.put("epoch", e.epoch());
    info.put("dev_accuracy", Double.isNaN(e.devAccuracy()) ? null : e.devAccuracy());
    info.put("trainer_version", TrainerVersion.get());
    info.put("created", Instant.now().toString());
    return info;
  }

  private void writeMetrics(TaggerModel model, List<Trainer.Epoch> epochs) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", model.config().preset());
    m.put("config", model.config().asMap());
    m.put("column", options.column().name());
    m.put("train_file", options.trainFile().toString());
    m.put("dev_file", options.devFile() == null ? null : options.devFile().toString());
    m.put("parameters", model.parameterCount());
    m.put("train_sentences", trainSentences);
    m.put("train_tokens", trainTokens);
    m.put("threads", options.threads());
    m.put("distillation", options.distillation() == null ? null : options.distillation().asMap());
    List<Map<String, Object>> rows = new ArrayList<>();
    Trainer.Epoch best = null;
    for (Trainer.Epoch e : epochs) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("epoch", e.epoch());
      r.put("loss", e.loss());
      r.put("seconds", e.seconds());
      r.put("sentences_per_s", e.sentencesPerS());
      r.put("tokens_per_s", e.tokensPerS());
      r.put("dev_accuracy", Double.isNaN(e.devAccuracy()) ? null : e.devAccuracy());
      r.put("dev_oov_accuracy", Double.isNaN(e.devOovAccuracy()) ? null : e.devOovAccuracy());
      rows.add(r);
      if (best == null || e.devAccuracy() > best.devAccuracy()) {
        best = e;
      }
    }
    m.put("epochs", rows);
    m.put("best_epoch", best == null ? null : best.epoch());
    m.put(
        "best_dev_accuracy",
        best == null || Double.isNaN(best.devAccuracy()) ? null : best.devAccuracy());
    JSON.writeValue(dir.resolve(Trainer.METRICS_FILE).toFile(), m);
  }
}
