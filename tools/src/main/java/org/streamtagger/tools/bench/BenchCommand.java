package org.streamtagger.tools.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tagger bench ...}: every benchmark; each prints figures, never asserts them. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints its figures (one JSON object with --json).",
    subcommands = {
      BenchTrainCommand.class,
      BenchInferCommand.class,
      BenchStreamCommand.class,
      BenchScaleCommand.class
    })
public final class BenchCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
