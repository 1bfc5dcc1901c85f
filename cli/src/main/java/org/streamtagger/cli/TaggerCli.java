package org.streamtagger.cli;

import org.streamtagger.processor.cli.OneLineErrors;
import org.streamtagger.processor.cli.RolloutCommand;
import org.streamtagger.processor.cli.RunCommand;
import org.streamtagger.tools.bench.BenchCommand;
import org.streamtagger.tools.demo.DemoCommand;
import org.streamtagger.trainer.cli.EnsembleCommand;
import org.streamtagger.trainer.cli.EvaluateCommand;
import org.streamtagger.trainer.cli.ExportCommand;
import org.streamtagger.trainer.cli.TrainCommand;
import org.streamtagger.trainer.cli.TutorialCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one command line, {@code tagger}: every module's commands under one root. The launcher
 * ({@code ./tagger}) only builds and runs it. Every command has {@code --help} and {@code
 * --version}, and prints the same version.
 */
@Command(
    name = "tagger",
    mixinStandardHelpOptions = true,
    versionProvider = TaggerCli.Version.class,
    description = "Part-of-speech tagging for Apache Kafka streams, with a model you can retrain.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      RolloutCommand.class,
      ConsumeCommand.class,
      TagCommand.class,
      TokenizeCommand.class,
      TutorialCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      EnsembleCommand.class,
      ExportCommand.class,
      RetrainCommand.class,
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
   * The command line with one-line errors (a bad option prints what was wrong and a hint, a failure
   * prints its message; the stack trace only with {@code TAGGER_DEBUG=1}), and the root's version
   * on every command.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TaggerCli());
    shareVersion(cli, new Version());
    return OneLineErrors.install(cli);
  }

  private static void shareVersion(CommandLine cli, CommandLine.IVersionProvider version) {
    CommandSpec spec = cli.getCommandSpec();
    spec.versionProvider(version);
    cli.getSubcommands().values().forEach(sub -> shareVersion(sub, version));
  }

  /** The version of the build this command line comes from. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TaggerCli.class.getPackage().getImplementationVersion();
      return new String[] {"tagger " + (v == null ? "dev" : v)};
    }
  }
}
