package org.streamtagger.processor.topology;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.tagging.inference.SentenceTagger;

/**
 * One running processor: the model, the topology and its {@link KafkaStreams}, wired from a {@link
 * ProcessorConfig}. Starting checks the broker (a clear error, not a hang) and creates absent
 * topics when allowed; closing finishes the work in hand, commits and frees the model.
 */
public final class TaggingService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaggingService.class);

  private final AutoCloseable resource;
  private final KafkaStreams streams;
  private final Draining draining;

  /** Why the streams shut down on their own (the first fatal error of a stream thread), if so. */
  private final AtomicReference<Throwable> fatal;

  private TaggingService(
      AutoCloseable resource,
      KafkaStreams streams,
      Draining draining,
      AtomicReference<Throwable> fatal) {
    this.resource = resource;
    this.streams = streams;
    this.draining = draining;
    this.fatal = fatal;
  }

  /**
   * Loads the model, checks the broker, creates topics and starts the streams.
   *
   * @throws IOException if the model cannot be loaded or the broker cannot be reached
   */
  public static TaggingService start(ProcessorConfig config) throws IOException {
    OnnxTagger tagger = loadModel(config);
    LOG.info(
        "model {}:{} ({}), {} execution provider",
        tagger.model().name(),
        tagger.model().version(),
        tagger.model().tagColumn(),
        tagger.provider());
    return start(config, tagger, tagger);
  }

  /** The configured model (the bundled one unless a path is set), with its inference options. */
  public static OnnxTagger loadModel(ProcessorConfig config) throws IOException {
    return config.modelPath() == null
        ? OnnxTagger.bundled(config.inference())
        : OnnxTagger.load(config.modelPath(), config.inference());
  }

  /** Starts with a given tagger; {@code resource} (may be null) is closed with the service. */
  public static TaggingService start(
      ProcessorConfig config, SentenceTagger tagger, AutoCloseable resource) throws IOException {
    LOG.info("configuration:\n{}", config.printable().stripTrailing());
    try {
      RecordLimits limits = prepareBroker(config);
      SentenceCodec codec =
          new SentenceCodec(config.inputFormat(), config.outputFormat(), List.of());
      Properties props = config.kafka();
      FetchedOffsets.install(props);
      Draining draining = new Draining();
      KafkaStreams streams =
          new KafkaStreams(
              TaggingTopology.build(
                  config.topics(), tagger, codec, limits, config.batching(), draining),
              props);
      AtomicReference<Throwable> fatal = new AtomicReference<>();
      streams.setUncaughtExceptionHandler(e -> onStreamThreadFailure(e, fatal));
      streams.setStateListener((now, before) -> LOG.info("streams {} -> {}", before, now));
      streams.start();
      LOG.info(
          "tagging {} -> {} (dead letters: {})",
          config.topics().input(),
          config.topics().output(),
          config.topics().deadLetters());
      return new TaggingService(resource, streams, draining, fatal);
    } catch (IOException | RuntimeException e) {
      closeQuietly(resource);
      throw e;
    }
  }

  /**
   * A stream thread died. No record's failure gets here (each becomes its record's dead letter), so
   * this is Kafka's or the machine's: a thread that ran out of memory or could not load a class
   * would only fail again, and the client shuts down (its state goes to ERROR); anything else gets
   * a new thread.
   */
  private static StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
      onStreamThreadFailure(Throwable e, AtomicReference<Throwable> fatal) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (RecordTagger.isFatal(t)) {
        LOG.error("stream thread failed with {}: the processor cannot go on; shutting down", t, e);
        fatal.compareAndSet(null, t);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
    }
    LOG.error("stream thread failed; replacing it", e);
    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** Waits (bounded) until the streams are running. */
  public boolean awaitRunning(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (streams.state() == KafkaStreams.State.RUNNING) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /**
   * The error that made the streams shut down on their own, once they have (state ERROR), else
   * null. A process that finds one should exit non-zero: its work cannot go on.
   */
  public Throwable failure() {
    if (streams.state() != KafkaStreams.State.ERROR) {
      return null;
    }
    Throwable t = fatal.get();
    return t != null ? t : new IllegalStateException("Kafka Streams is in state ERROR");
  }

  public KafkaStreams streams() {
    return streams;
  }

  /**
   * Checks that the broker answers, creates absent topics when allowed, and reads how large the
   * records written to the output and dead-letter topics may be.
   */
  private static RecordLimits prepareBroker(ProcessorConfig config) throws IOException {
    Properties props = config.kafka();
    Properties adminProps = new Properties();
    props.forEach(
        (k, v) -> {
          String key = k.toString();
          if (AdminClientConfig.configNames().contains(key)) {
            adminProps.put(key, v);
          }
        });
    adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    String bootstrap = props.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    try (Admin admin = Admin.create(adminProps)) {
      try {
        admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IOException(
            "cannot reach Kafka at " + bootstrap + " within 15 s (" + rootMessage(e) + ")", e);
      }
      var t = config.topics();
      if (config.createTopics()) {
        Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (String name : List.of(t.input(), t.output(), t.deadLetters())) {
          if (!existing.contains(name)) {
            missing.add(new NewTopic(name, config.partitions(), config.replication()));
          }
        }
        if (!missing.isEmpty()) {
          admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
          LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
        }
      }
      int request = config.producerMaxRequestSize();
      return new RecordLimits(
          config.maxRecordBytes(),
          config.maxTokens(),
          RecordLimits.payloadLimit(request, maxMessageBytes(admin, t.output())),
          RecordLimits.payloadLimit(request, maxMessageBytes(admin, t.deadLetters())));
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("preparing topics failed: " + rootMessage(e), e);
    }
  }

  /** The topic's {@code max.message.bytes}, or Kafka's default where it cannot be read. */
  private static int maxMessageBytes(Admin admin, String topic) throws InterruptedException {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config c =
          admin.describeConfigs(List.of(resource)).all().get(15, TimeUnit.SECONDS).get(resource);
      ConfigEntry entry = c == null ? null : c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      if (entry != null && entry.value() != null) {
        return Integer.parseInt(entry.value());
      }
    } catch (ExecutionException | TimeoutException | NumberFormatException e) {
      LOG.warn(
          "cannot read max.message.bytes of topic {} ({}); assuming Kafka's default of {} bytes",
          topic,
          rootMessage(e),
          RecordLimits.KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
    }
    return RecordLimits.KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /**
   * Stops: the records waiting in the batch buffers are tagged and emitted, the current batch is
   * finished and offsets are committed (30 s at most).
   */
  @Override
  public void close() {
    LOG.info("stopping");
    draining.request();
    try {
      if (streams.state() == KafkaStreams.State.RUNNING
          && !draining.awaitEmpty(Duration.ofSeconds(10))) {
        LOG.warn(
            "{} records still wait in the batch buffers; they stay in the changelogged store and"
                + " are tagged at the next start",
            draining.waiting());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    streams.close(Duration.ofSeconds(30));
    closeQuietly(resource);
    LOG.info("stopped");
  }

  private static void closeQuietly(AutoCloseable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", resource, e.toString());
    }
  }
}
