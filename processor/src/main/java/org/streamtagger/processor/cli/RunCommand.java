package org.streamtagger.processor.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.topology.TaggingService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tagger run}: the processor against any Kafka cluster, until SIGTERM or Ctrl-C. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run the tagging processor against a Kafka cluster. Configuration: --config FILE"
            + " (properties; tagger.* keys are the processor's, all others go to Kafka Streams),"
            + " then TAGGER_* environment variables (TAGGER_BOOTSTRAP_SERVERS, TAGGER_INPUT_TOPIC,"
            + " ...). Stops cleanly on SIGTERM or Ctrl-C: work in hand finished, offsets committed.")
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "Properties file.")
  Path config;

  /** The service alone, as the Docker image runs it: {@code run}'s options, one-line errors. */
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new RunCommand());
    String version = RunCommand.class.getPackage().getImplementationVersion();
    cli.getCommandSpec().versionProvider(() -> new String[] {"tagger run " + version});
    System.exit(OneLineErrors.install(cli).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ProcessorConfig c = ProcessorConfig.load(config, System.getenv());
    TaggingService service = TaggingService.start(c);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean failed = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                  if (!failed.get()) {
                    // Stopped by a signal (SIGTERM, Ctrl-C) and closed cleanly: that is success,
                    // not the 143 a JVM ended by a signal exits with.
                    Runtime.getRuntime().halt(0);
                  }
                },
                "shutdown"));
    while (!stopped.await(200, TimeUnit.MILLISECONDS)) {
      Throwable failure = service.failure();
      if (failure != null) {
        failed.set(true);
        throw new IllegalStateException("the processor stopped: " + failure, failure);
      }
    }
    return 0;
  }
}
