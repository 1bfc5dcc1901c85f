package org.streamtagger.trainer.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.streamtagger.trainer.tagger.EnsembleBuild;
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
    EnsembleBuild.build(
        members, fp16, dev != null ? dev : DataLocation.ewt("dev"), out, threads, System.err);
    return 0;
  }
}
