package org.streamtagger.trainer.cli;

import picocli.CommandLine.Command;

/** {@code tagger bench ...}: benchmarks that print figures. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints its figures (one JSON object with --json).",
    subcommands = {BenchTrainCommand.class, BenchInferCommand.class})
final class BenchCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }
}
