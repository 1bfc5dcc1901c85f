package org.streamtagger.processor.topology;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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

  private TaggingService(AutoCloseable resource, KafkaStreams streams, Draining draining) {
    this.resource = resource;
    this.streams = streams;
    this.draining = draining;
  }

  /**
   * Loads the model, checks the broker, creates topics and starts the streams.
   *
   * @throws IOException if the model cannot be loaded or the broker cannot be reached
   */
  public static TaggingService start(ProcessorConfig config) throws IOException {
    OnnxTagger tagger = config.loadModel();
    LOG.info(
        "model {}:{} ({}), {} execution provider",
        tagger.model().name(),
        tagger.model().version(),
        tagger.model().tagColumn(),
        tagger.provider());
    return start(config, tagger, tagger);
  }

  /** Starts with a given tagger; {@code resource} (may be null) is closed with the service. */
  public static TaggingService start(
      ProcessorConfig config, SentenceTagger tagger, AutoCloseable resource) throws IOException {
    LOG.info("configuration: {}", config.printable());
    try {
      prepareTopics(config);
      SentenceCodec codec =
          new SentenceCodec(
              config.inputFormat(),
              config.outputFormat(),
              List.of(),
              config.maxRecordBytes(),
              config.maxTokens());
      Properties props = config.kafka();
      FetchedOffsets.install(props);
      Draining draining = new Draining();
      KafkaStreams streams =
          new KafkaStreams(
              TaggingTopology.build(config.topics(), tagger, codec, config.batching(), draining),
              props);
      streams.setUncaughtExceptionHandler(
          e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
          });
      streams.setStateListener((now, before) -> LOG.info("streams {} -> {}", before, now));
      streams.start();
      LOG.info(
          "tagging {} -> {} (dead letters: {})",
          config.topics().input(),
          config.topics().output(),
          config.topics().deadLetters());
      return new TaggingService(resource, streams, draining);
    } catch (IOException | RuntimeException e) {
      closeQuietly(resource);
      throw e;
    }
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

  public KafkaStreams streams() {
    return streams;
  }

  private static void prepareTopics(ProcessorConfig config) throws IOException {
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
      if (!config.createTopics()) {
        return;
      }
      Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      var t = config.topics();
      for (String name : List.of(t.input(), t.output(), t.deadLetters())) {
        if (!existing.contains(name)) {
          missing.add(new NewTopic(name, config.partitions(), config.replication()));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
      }
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("preparing topics failed: " + rootMessage(e), e);
    }
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
