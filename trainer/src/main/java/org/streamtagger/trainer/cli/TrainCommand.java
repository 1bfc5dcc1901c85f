package org.streamtagger.trainer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.streamtagger.trainer.tagger.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tagger train}: trains a preset, evaluating on dev after every epoch. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a tagger on a CoNLL-U treebank. Progress goes to standard error; DIR receives the"
            + " best-dev checkpoint (model.ckpt) and metrics.json.")
final class TrainCommand implements Callable<Integer> {
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

  @Override
  public Integer call() throws Exception {
    var config = training.config();
    Path outDir = out != null ? out : Path.of("runs", config.preset());
    new Trainer(System.err)
        .train(
            new Trainer.Options(
                config,
                training.trainFile(),
                dev != null ? dev : DataLocation.ewt("dev"),
                outDir,
                training.tagColumn(),
                training.threads,
                training.limit));
    return 0;
  }
}
