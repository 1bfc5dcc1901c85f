package org.streamtagger.processor.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.rollout.Announcer;
import org.streamtagger.processor.rollout.ModelAnnouncement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tagger rollout}: tells every running processor to serve another model. */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description =
        "Announce a model on the control topic (tagger.model.control.topic): every running"
            + " processor fetches it, checks it (SHA-256, metadata, tag set, a canary batch) and"
            + " swaps it in between two batches, or refuses it and keeps its model. Connects as"
            + " the processor does (--config FILE, then TAGGER_* variables).")
public final class RolloutCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "An exported .onnx model.")
  Path model;

  @Option(
      names = "--model-version",
      paramLabel = "V",
      description = "The version output records name (default: the model's own metadata).")
  String version;

  @Option(
      names = "--location",
      paramLabel = "URI",
      description =
          "Where the processors fetch the file: a path, file: URI or http(s) URL (default: the"
              + " file's absolute path, for processors that see this file system).")
  String location;

  @Option(names = "--config", paramLabel = "FILE", description = "The processor's properties file.")
  Path config;

  @Override
  public Integer call() throws Exception {
    ProcessorConfig c = ProcessorConfig.load(config, System.getenv());
    ModelAnnouncement a = Announcer.describe(model, version, location);
    RecordMetadata at = Announcer.announce(c, a);
    System.out.printf(
        "announced %s (sha256 %s) at %s-%d@%d; processors fetch %s%n",
        a.label(), a.sha256(), at.topic(), at.partition(), at.offset(), a.location());
    return 0;
  }
}
