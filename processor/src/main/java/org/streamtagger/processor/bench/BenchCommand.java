package org.streamtagger.processor.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tagger bench stream}: the processor's benchmark. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks of the stream; --json prints one JSON object.",
    subcommands = {BenchStreamCommand.class})
public final class BenchCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
