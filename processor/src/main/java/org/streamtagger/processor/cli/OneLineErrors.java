package org.streamtagger.processor.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The error behaviour every command line of the project shares: a bad option prints one {@code
 * error:} line and a {@code --help} hint (exit 2); a failure prints its message (exit 1), with the
 * stack trace only when {@code TAGGER_DEBUG=1}.
 */
public final class OneLineErrors {
  private OneLineErrors() {}

  /** Installs the handlers on {@code cli} and returns it. */
  public static CommandLine install(CommandLine cli) {
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
