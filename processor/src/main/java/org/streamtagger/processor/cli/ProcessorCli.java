package org.streamtagger.processor.cli;

import org.streamtagger.processor.bench.BenchCommand;
import org.streamtagger.tagging.cli.OneLineErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The processor's command line: {@code tag}, {@code tokenize}. */
@Command(
    name = "tagger",
    mixinStandardHelpOptions = true,
    description = "Tag text with the exported model (ONNX Runtime).",
    subcommands = {
      TagCommand.class,
      TokenizeCommand.class,
      RunCommand.class,
      DemoCommand.class,
      BenchCommand.class
    })
public final class ProcessorCli implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with one-line errors (stack traces with {@code TAGGER_DEBUG=1}). */
  public static CommandLine commandLine() {
    return OneLineErrors.install(new CommandLine(new ProcessorCli()));
  }
}
