package org.streamtagger.trainer.cli;

import org.streamtagger.tagging.cli.OneLineErrors;
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
      EnsembleCommand.class,
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
    return OneLineErrors.install(new CommandLine(new TaggerCli()));
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
