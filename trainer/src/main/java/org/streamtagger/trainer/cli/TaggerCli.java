package org.streamtagger.trainer.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The trainer's command line: {@code tutorial}, {@code train}, {@code bench train}. */
@Command(
    name = "tagger",
    mixinStandardHelpOptions = true,
    versionProvider = TaggerCli.Version.class,
    description = "Train, evaluate and benchmark the part-of-speech tagger.",
    subcommands = {
      TutorialCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      ExportCommand.class,
      BenchCommand.class
    })
public final class TaggerCli implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with one-line errors: a bad option prints what was wrong and a hint, a failure
   * prints its message (the stack trace only with {@code TAGGER_DEBUG=1}).
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TaggerCli());
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
          String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
          err.println("error: " + message);
          if ("1".equals(System.getenv("TAGGER_DEBUG"))) {
            ex.printStackTrace(err);
          }
          return 1;
        });
    return cli;
  }

  /** Prints the trainer's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "tagger trainer " + org.streamtagger.trainer.tagger.TrainerVersion.get()
      };
    }
  }
}
