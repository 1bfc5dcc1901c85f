package org.streamtagger.trainer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.streamtagger.trainer.tagger.Checkpoint;
import org.streamtagger.trainer.tagger.Distillation;
import org.streamtagger.trainer.tagger.Trainer;
import org.streamtagger.trainer.tagger.TrainingState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tagger train}: trains a preset, evaluating on dev after every epoch. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a tagger on a CoNLL-U treebank. Progress goes to standard error; DIR receives the"
            + " best-dev checkpoint (model.ckpt), metrics.json, training.png, the dev confusion"
            + " matrix (dev-evaluation.json, confusion-dev.png) and the state to resume from."
            + " Ctrl-C saves that state; --resume DIR continues. With --teacher it distils: the"
            + " loss mixes the teacher's distributions with the gold tags.")
public final class TrainCommand implements Callable<Integer> {
  @Mixin TrainingMixin training;

  @Option(
      names = "--dev",
      paramLabel = "FILE",
      description = "CoNLL-U dev data to choose on (default: EWT dev under $TAGGER_DATA).")
  Path dev;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: runs/<preset>).")
  Path out;

  @Option(
      names = "--patience",
      defaultValue = "0",
      description = "Stop after N epochs without a better dev accuracy (0: run every epoch).")
  int patience;

  @Option(
      names = "--force",
      description = "Train into an --out directory that holds an earlier run, replacing it.")
  boolean force;

  @Option(
      names = "--teacher",
      paramLabel = "CHECKPOINT",
      description =
          "Distil: learn the teacher's tag distributions (a checkpoint, an ensemble too; e.g."
              + " models/ewt-upos.ckpt) as well as the gold tags. Its tag column and tag set must"
              + " be the data's.")
  Path teacher;

  @Option(
      names = "--temperature",
      defaultValue = "2",
      description = "With --teacher: the softmax temperature of both distributions (default: 2).")
  float temperature;

  @Option(
      names = "--soft-weight",
      defaultValue = "0.5",
      description =
          "With --teacher: the teacher's share of the loss, the gold tags' the rest (default:"
              + " 0.5).")
  float softWeight;

  @Option(
      names = "--resume",
      paramLabel = "DIR",
      description =
          "Continue the run saved in DIR with the options it started with (--epochs and"
              + " --threads may change).")
  Path resume;

  @Override
  public Integer call() throws Exception {
    if (patience < 0) {
      throw new IllegalArgumentException("--patience must be >= 0, got " + patience);
    }
    Trainer trainer = new Trainer(System.err);
    Trainer.Result result;
    if (resume != null) {
      result =
          trainer.resume(resume, training.threads(), training.epochs == null ? 0 : training.epochs);
    } else {
      var config = training.config();
      Path outDir = out != null ? out : Path.of("runs", config.preset());
      checkOut(outDir);
      result =
          trainer.train(
              new Trainer.Options(
                  config,
                  training.trainFile(),
                  dev != null ? dev : DataLocation.ewt("dev"),
                  outDir,
                  training.tagColumn(),
                  training.threads(),
                  training.limit(),
                  patience,
                  distillation()));
    }
    return result.interrupted() ? 130 : 0;
  }

  /** The teacher to learn from, checked before any training, or null. */
  private Distillation distillation() throws java.io.IOException {
    if (teacher == null) {
      return null;
    }
    if (!Checkpoint.isCheckpoint(teacher)) {
      throw new IllegalArgumentException(
          "--teacher " + teacher + " is not a checkpoint (a model.ckpt or a training directory)");
    }
    return new Distillation(teacher, temperature, softWeight);
  }

  /** Refuses, before any training, an output that is a file or holds a run (unless --force). */
  private void checkOut(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--out " + dir + " is a file, not a directory");
    }
    boolean earlier =
        Files.exists(dir.resolve(Checkpoint.FILE_NAME))
            || Files.exists(dir.resolve(TrainingState.FILE_NAME));
    if (earlier && !force) {
      throw new IllegalArgumentException(
          "--out "
              + dir
              + " holds an earlier run: --resume "
              + dir
              + " continues it, --force replaces it, or name another --out");
    }
  }
}
