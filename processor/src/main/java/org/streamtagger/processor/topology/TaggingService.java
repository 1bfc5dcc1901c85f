package org.streamtagger.processor.topology;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.rollout.ModelRollout;
import org.streamtagger.processor.rollout.ServingModel;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.processor.status.Health;
import org.streamtagger.processor.status.StatusServer;
import org.streamtagger.tagging.inference.ModelInfo;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.tagging.inference.SentenceTagger;

/**
 * One running processor: the model, the topology and its {@link KafkaStreams}, wired from a {@link
 * ProcessorConfig}. Starting checks the broker (a clear error, not a hang) and creates absent
 * topics when allowed; closing finishes the work in hand, commits and frees the model.
 */
public final class TaggingService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaggingService.class);

  private final ServingModel models;

  /** Follows the model control topic; null when none is configured. */
  private final ModelRollout rollout;

  private final KafkaStreams streams;
  private final Draining draining;

  /** What the stream threads' failures decided, and why the streams shut down if they did. */
  private final StreamThreadFailures failures;

  /** The health and metrics endpoints, or null when none are configured. */
  private final StatusServer status;

  private final BrokerCheck broker;
  private final KafkaStreamsMetrics streamsMetrics;

  private TaggingService(
      ServingModel models,
      ModelRollout rollout,
      KafkaStreams streams,
      Draining draining,
      StreamThreadFailures failures,
      StatusServer status,
      BrokerCheck broker,
      KafkaStreamsMetrics streamsMetrics) {
    this.models = models;
    this.rollout = rollout;
    this.streams = streams;
    this.draining = draining;
    this.failures = failures;
    this.status = status;
    this.broker = broker;
    this.streamsMetrics = streamsMetrics;
  }

  /**
   * Loads the model, checks the broker, creates topics and starts the streams.
   *
   * @throws IOException if the model cannot be loaded or the broker cannot be reached
   */
  public static TaggingService start(ProcessorConfig config) throws IOException {
    OnnxTagger tagger = loadModel(config);
    LOG.info(
        "model {}:{} ({}, sha256 {}), {} execution provider",
        tagger.model().name(),
        tagger.model().version(),
        tagger.model().tagColumn(),
        tagger.sha256(),
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
    ServingModel models =
        new ServingModel(
            tagger, resource, tagger instanceof OnnxTagger onnx ? onnx.sha256() : null);
    ModelRollout rollout = null;
    try {
      RecordLimits limits = Preflight.run(config);
      PrometheusMeterRegistry registry =
          config.httpPort() > 0 ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
      Runnable showModel = registry == null ? () -> {} : modelInfoGauge(registry, models);
      if (config.modelControlTopic() != null) {
        rollout =
            ModelRollout.start(
                config.modelControlTopic(),
                config.plainConsumer(),
                models,
                config.inference(),
                m -> showModel.run());
        if (registry != null) {
          ModelRollout r = rollout;
          FunctionCounter.builder("tagger.model.swaps", r, ModelRollout::swaps)
              .description("Models swapped in while running")
              .register(registry);
          FunctionCounter.builder("tagger.model.refusals", r, ModelRollout::refusals)
              .description("Model announcements refused (the served model stayed)")
              .register(registry);
        }
      }
      showModel.run();
      SentenceCodec codec =
          new SentenceCodec(config.inputFormat(), config.outputFormat(), List.of());
      Properties props = config.kafka();
      FetchedOffsets.install(props);
      Draining draining = new Draining();
      KafkaStreams streams =
          new KafkaStreams(
              TaggingTopology.build(
                  config.topics(), models, codec, limits, config.batching(), draining),
              props);
      StreamThreadFailures failures = new StreamThreadFailures();
      streams.setUncaughtExceptionHandler(e -> failures.onFailure(e, System.currentTimeMillis()));
      streams.setStateListener((now, before) -> LOG.info("streams {} -> {}", before, now));
      StatusServer status = null;
      BrokerCheck broker = null;
      KafkaStreamsMetrics streamsMetrics = null;
      if (registry != null) {
        // Tasks' metrics (the tagging metrics among them) appear as tasks are assigned: looked
        // for every few seconds rather than Micrometer's default minute.
        streamsMetrics =
            new KafkaStreamsMetrics(streams, List.of(), metricsRefresh(), Duration.ofSeconds(5));
        streamsMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        broker = new BrokerCheck(Preflight.adminProperties(props));
        BrokerCheck brokerCheck = broker;
        KafkaStreams s = streams;
        try {
          status =
              StatusServer.start(
                  config.httpBind(), config.httpPort(), () -> health(s, brokerCheck), registry);
        } catch (IOException e) {
          streamsMetrics.close();
          broker.close();
          streams.close(Duration.ZERO);
          throw e;
        }
        LOG.info(
            "health and metrics on http://{}:{}/ (health/live, health/ready, metrics)",
            config.httpBind(),
            status.port());
      }
      streams.start();
      LOG.info(
          "tagging {} -> {} (dead letters: {})",
          config.topics().input(),
          config.topics().output(),
          config.topics().deadLetters());
      return new TaggingService(
          models, rollout, streams, draining, failures, status, broker, streamsMetrics);
    } catch (IOException | RuntimeException e) {
      if (rollout != null) {
        rollout.close();
      }
      models.close();
      throw e;
    }
  }

  /**
   * {@code tagger_model_info{name, version, sha256} 1} for the served model; the returned action
   * updates it after a swap.
   */
  private static Runnable modelInfoGauge(PrometheusMeterRegistry registry, ServingModel models) {
    MultiGauge info =
        MultiGauge.builder("tagger.model.info")
            .description("The model served now (value 1), by name, version and file SHA-256")
            .register(registry);
    return () ->
        info.register(
            List.of(
                MultiGauge.Row.of(
                    Tags.of(
                        "name",
                        models.info().name(),
                        "version",
                        models.info().version(),
                        "sha256",
                        String.valueOf(models.sha256())),
                    1)),
            true);
  }

  /**
   * Live while Kafka Streams can still work; ready once it runs with partitions assigned and the
   * broker answers. The model is loaded before the service exists.
   */
  private static Health health(KafkaStreams streams, BrokerCheck broker) {
    KafkaStreams.State state = streams.state();
    boolean live =
        state == KafkaStreams.State.CREATED
            || state == KafkaStreams.State.REBALANCING
            || state == KafkaStreams.State.RUNNING;
    if (!live) {
      return new Health(false, false, "Kafka Streams is " + state);
    }
    if (state != KafkaStreams.State.RUNNING) {
      return new Health(true, false, "Kafka Streams is " + state);
    }
    boolean assigned =
        streams.metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
    if (!assigned) {
      return new Health(true, false, "no partitions assigned to this instance");
    }
    String unreachable = broker.problem();
    if (unreachable != null) {
      return new Health(true, false, unreachable);
    }
    return new Health(true, true, "");
  }

  /** The thread that looks for new Kafka metrics; a daemon, so that it never holds the JVM up. */
  private static ScheduledExecutorService metricsRefresh() {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "metrics-refresh");
          t.setDaemon(true);
          return t;
        });
  }

  /** The port of the health and metrics endpoints, or 0 when there are none. */
  public int statusPort() {
    return status == null ? 0 : status.port();
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
    Throwable t = failures.cause();
    return t != null ? t : new IllegalStateException("Kafka Streams is in state ERROR");
  }

  public KafkaStreams streams() {
    return streams;
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
    if (rollout != null) {
      rollout.close();
    }
    streams.close(Duration.ofSeconds(30));
    if (status != null) {
      status.close();
      streamsMetrics.close();
      broker.close();
    }
    models.close();
    LOG.info("stopped");
  }

  /** The model served now (name, version, tag set), for tests and tools. */
  public ModelInfo model() {
    return models.info();
  }
}
