package org.streamtagger.cli;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.rollout.Announcer;
import org.streamtagger.processor.rollout.ModelAnnouncement;
import org.streamtagger.trainer.cli.DataLocation;
import org.streamtagger.trainer.retrain.RetrainJob;
import org.streamtagger.trainer.retrain.RetrainPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tagger retrain}: the recipe that produces the shipped model, as one resumable job with a
 * quality gate, a model card and, on request, the rollout of the result.
 */
@Command(
    name = "retrain",
    mixinStandardHelpOptions = true,
    description =
        "Retrain the shipped model on your data as one job: three members (early stopping), their"
            + " ensemble in half precision, its ONNX export, its evaluation against the model it"
            + " would replace, the quality gate, and a model card (DIR/model-card.md and .json)."
            + " One progress line; details in DIR/retrain.log. Stopped anywhere (Ctrl-C, a crash),"
            + " the same command goes on from where it was. Exit 0: accepted (and announced with"
            + " --publish); 4: refused by the gate; 130: stopped.")
public final class RetrainCommand implements Callable<Integer> {
  /** The exit code of a candidate the quality gate refused. */
  static final int REFUSED = 4;

  @Option(
      names = "--train",
      paramLabel = "FILE",
      description = "CoNLL-U training data (default: EWT train under $TAGGER_DATA).")
  Path train;

  @Option(
      names = "--dev",
      paramLabel = "FILE",
      description = "CoNLL-U dev data (default: EWT dev under $TAGGER_DATA).")
  Path dev;

  @Option(names = "--test", paramLabel = "FILE", description = "CoNLL-U test data for the card.")
  Path test;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The job's directory.")
  Path out;

  @Option(
      names = "--preset",
      defaultValue = "ewt-plus",
      description = "The members' preset (default: ${DEFAULT-VALUE}, the shipped model's).")
  String preset;

  @Option(names = "--epochs", description = "The members' epochs at most (default: the preset's).")
  Integer epochs;

  @Option(
      names = "--patience",
      defaultValue = "5",
      description = "A member stops after N epochs without a better dev accuracy (default: 5).")
  int patience;

  @Option(
      names = "--name",
      defaultValue = "ewt-upos",
      description = "Model name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--model-version",
      description = "Model version (default: the job's start, UTC, as yyyyMMdd-HHmm).")
  String version;

  @Option(
      names = "--baseline",
      paramLabel = "FILE",
      description = "The .onnx model the candidate would replace (default: the bundled one).")
  Path baseline;

  @Option(
      names = "--gate-margin",
      defaultValue = "0.1",
      description =
          "Accuracy points on dev the candidate may be below the baseline (negative: it must be"
              + " that much better; default: ${DEFAULT-VALUE}).")
  double margin;

  @Option(names = "--threads", defaultValue = "2", description = "Threads (default: 2).")
  int threads;

  @Option(
      names = "--publish",
      description = "Announce an accepted model on the processors' control topic (tagger rollout).")
  boolean publish;

  @Option(
      names = "--location",
      paramLabel = "URI",
      description = "With --publish: where the processors fetch the model (default: its path).")
  String location;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "With --publish: the processor's properties file (then TAGGER_* variables).")
  Path config;

  @Override
  public Integer call() throws Exception {
    // Checked first: a --publish that could never announce should not wait for hours to say so.
    ProcessorConfig processor = publish ? ProcessorConfig.load(config, System.getenv()) : null;
    RetrainPlan plan =
        new RetrainPlan(
            train != null ? train : DataLocation.ewt("train"),
            dev != null ? dev : DataLocation.ewt("dev"),
            test,
            preset,
            epochs,
            patience,
            name,
            version != null
                ? version
                : ZonedDateTime.now(ZoneOffset.UTC)
                    .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm")),
            baseline,
            margin);
    RetrainJob job = RetrainJob.open(out, plan, threads, System.err);
    RetrainJob.Outcome outcome = job.run();
    if (outcome.interrupted()) {
      return 130;
    }
    if (!outcome.gate().accepted()) {
      return REFUSED;
    }
    if (publish) {
      ModelAnnouncement a = Announcer.describe(outcome.model(), null, location);
      RecordMetadata at = Announcer.announce(processor, a);
      System.err.printf(
          "retrain: announced %s at %s-%d@%d%n",
          a.label(), at.topic(), at.partition(), at.offset());
    }
    System.out.println(outcome.model());
    return 0;
  }
}
