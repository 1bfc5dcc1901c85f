package org.streamtagger.processor.cli;

import java.io.PrintWriter;
import org.streamtagger.processor.bench.BenchCommand;
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
    CommandLine cli = new CommandLine(new ProcessorCli());
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("error: " + ex.getMessage());
          err.println(
              "try: tagger "
                  + ex.getCommandLine().getCommandSpec().qualifiedName(" ").replace("tagger ", "")
                  + " --help");
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          PrintWriter err = c.getErr();
          err.println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
          if ("1".equals(System.getenv("TAGGER_DEBUG"))) {
            ex.printStackTrace(err);
          }
          return 1;
        });
    return cli;
  }
}
