package org.streamtagger.processor.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.streamtagger.processor.serde.RecordFormat;
import org.streamtagger.processor.topology.Batching;
import org.streamtagger.processor.topology.RecordLimits;
import org.streamtagger.processor.topology.TaggingTopology;
import org.streamtagger.tagging.inference.ExecutionProvider;
import org.streamtagger.tagging.inference.InferenceOptions;

/**
 * The processor's configuration, immutable and typed, built once: defaults, then a properties file,
 * then {@code TAGGER_*} environment variables (then settings a program gives, such as the demo's),
 * and validated whole before anything starts. Keys starting with {@code tagger.} are the
 * processor's own ({@link #SETTINGS}); every other key is Kafka's and passes through to Kafka
 * Streams. {@code TAGGER_SOME_KEY} sets {@code tagger.some.key} when that is one of ours, else the
 * Kafka key {@code some.key} (e.g. {@code TAGGER_BOOTSTRAP_SERVERS}).
 *
 * <p>Each of these stops the start with one line that names the key and where it came from (file
 * and line, or the variable), and, where a known key is close, the one probably meant: an unknown
 * {@code tagger.} key; a {@code TAGGER_} variable that maps to no key; a Kafka key that neither
 * Kafka Streams nor any client it creates defines ({@link KafkaSettings}); a value that is not of
 * the key's type or out of its range.
 */
public final class ProcessorConfig {
  /** The processor's own settings: type, default, range and meaning, each written once. */
  public static final ConfigDef SETTINGS =
      new ConfigDef()
          .define(
              "tagger.input.topic",
              Type.STRING,
              "sentences",
              topic(),
              Importance.HIGH,
              "Topic of sentences in.")
          .define(
              "tagger.output.topic",
              Type.STRING,
              "tagged-sentences",
              topic(),
              Importance.HIGH,
              "Topic of tagged sentences out.")
          .define(
              "tagger.error.topic",
              Type.STRING,
              "tagging-errors",
              topic(),
              Importance.HIGH,
              "Topic of dead letters.")
          .define(
              "tagger.input.format",
              Type.STRING,
              "auto",
              ConfigDef.CaseInsensitiveValidString.in("avro", "json", "text", "auto"),
              Importance.MEDIUM,
              "How input values are written: avro (single-object encoding), json, text, or auto (told apart by the first bytes).")
          .define(
              "tagger.output.format",
              Type.STRING,
              "avro",
              ConfigDef.CaseInsensitiveValidString.in("avro", "json"),
              Importance.MEDIUM,
              "How tagged sentences and dead letters are written: avro or json.")
          .define(
              "tagger.batch.max.records",
              Type.INT,
              64,
              Range.atLeast(1),
              Importance.LOW,
              "A micro-batch is tagged when it holds this many records.")
          .define(
              "tagger.batch.max.wait.ms",
              Type.LONG,
              20L,
              Range.atLeast(1),
              Importance.LOW,
              "... or at the latest this long after its first record.")
          .define(
              "tagger.batch.quiet.ms",
              Type.LONG,
              1L,
              Range.atLeast(1),
              Importance.LOW,
              "... or as soon as no record has joined it for this long.")
          .define(
              "tagger.batch.quiet.when.fetched",
              Type.BOOLEAN,
              true,
              Importance.LOW,
              "... or as soon as it holds the last record fetched for its partition.")
          .define(
              "tagger.model.path",
              Type.STRING,
              "",
              Importance.HIGH,
              "An exported .onnx model (empty: the bundled one).")
          .define(
              "tagger.model.control.topic",
              Type.STRING,
              "tagger-models",
              (name, value) -> {
                if (!((String) value).isEmpty()) {
                  topic().ensureValid(name, value);
                }
              },
              Importance.MEDIUM,
              "Topic of model announcements every instance follows to swap its model while it"
                  + " runs (empty: none; the model stays the configured one).")
          .define(
              "tagger.execution.provider",
              Type.STRING,
              "cpu",
              ConfigDef.CaseInsensitiveValidString.in("cpu", "cuda"),
              Importance.MEDIUM,
              "ONNX Runtime execution provider: cpu or cuda.")
          .define(
              "tagger.execution.provider.required",
              Type.BOOLEAN,
              false,
              Importance.LOW,
              "Fail instead of falling back to the CPU when CUDA is unavailable.")
          .define(
              "tagger.intra.op.threads",
              Type.INT,
              1,
              Range.atLeast(0),
              Importance.LOW,
              "ONNX Runtime threads per model call (0: ONNX Runtime's choice).")
          .define(
              "tagger.max.record.bytes",
              Type.INT,
              65_536,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Records whose key and value take more bytes become TOO_LARGE dead letters.")
          .define(
              "tagger.max.tokens",
              Type.INT,
              1_000,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Sentences with more words to tag become TOO_LARGE dead letters.")
          .define(
              "tagger.topics.create",
              Type.BOOLEAN,
              true,
              Importance.LOW,
              "Create absent topics at start.")
          .define(
              "tagger.topics.partitions",
              Type.INT,
              2,
              Range.atLeast(1),
              Importance.LOW,
              "Partitions of the topics created.")
          .define(
              "tagger.http.port",
              Type.INT,
              0,
              Range.between(0, 65535),
              Importance.MEDIUM,
              "Port of the health and metrics endpoints (/health/live, /health/ready, /metrics);"
                  + " 0: none.")
          .define(
              "tagger.http.bind",
              Type.STRING,
              "0.0.0.0",
              new ConfigDef.NonEmptyString(),
              Importance.LOW,
              "Address the health and metrics endpoints listen on.")
          .define(
              "tagger.topics.replication",
              Type.SHORT,
              (short) 1,
              Range.atLeast(1),
              Importance.LOW,
              "Replication factor of the topics created.");

  /** Kafka settings the processor changes from Kafka's own defaults, and why. */
  private static final Map<String, String> KAFKA_DEFAULTS =
      Map.of(
          StreamsConfig.APPLICATION_ID_CONFIG,
          "streamtagger",
          StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
          "127.0.0.1:9092",
          // Kafka Streams' producer lingers 100 ms by default: too long for a tagging latency.
          StreamsConfig.producerPrefix("linger.ms"),
          "1",
          // An idle stream thread blocks in poll this long, and a waiting batch's punctuation
          // with it (Kafka Streams' default: 100 ms). 1 ms costs an idle thread about 6% of a
          // core, and takes the 5 ms a lone record used to wait out of the latency.
          StreamsConfig.POLL_MS_CONFIG,
          "1",
          // A dead instance's partitions go to the others once the group coordinator has missed
          // its heartbeats this long: Kafka's 45 s would stop them that long. 6 s is the least a
          // broker allows by default (group.min.session.timeout.ms); heartbeats go out from a
          // thread of their own, so a long model call does not miss them.
          ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
          "6000",
          ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
          "1500",
          // Under exactly_once_v2 a dead instance's open transaction holds its partitions' offsets
          // until the broker aborts it: after this timeout (Kafka Streams' default: 10 s), at the
          // broker's next check (every 10 s by default). A transaction lasts a commit interval
          // (100 ms), so 3 s leaves a stalled thread ample time.
          ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
          "3000",
          // Kafka 5.0's default. The stream has no global state, so it changes no behaviour; it
          // spares one of the two warnings recommending it that Kafka Streams 4.4 logs at start
          // (the other comes from a configuration Kafka Streams builds itself).
          StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG,
          "true");

  /** {@code TAGGER_} variables of the launcher and the tools, not settings. */
  private static final Set<String> NOT_SETTINGS =
      Set.of("TAGGER_DEBUG", "TAGGER_DATA", "TAGGER_JAVA_OPTS", "TAGGER_REFERENCE");

  /** A buffered record's origin beside its key and value: a topic name of up to 249 characters. */
  private static final int BUFFERED_RECORD_OVERHEAD = 512;

  private final Map<String, Setting> settings;
  private final TaggingTopology.Topics topics;
  private final RecordFormat inputFormat;
  private final RecordFormat outputFormat;
  private final Batching batching;
  private final Path modelPath;
  private final InferenceOptions inference;
  private final int maxRecordBytes;
  private final int maxTokens;
  private final boolean createTopics;
  private final int partitions;
  private final short replication;
  private final int producerMaxRequestSize;
  private final int httpPort;
  private final String httpBind;
  private final String modelControlTopic;

  /** A value and where it came from. */
  private record Setting(String value, String origin) {}

  private ProcessorConfig(Map<String, Setting> settings) {
    this.settings = Collections.unmodifiableMap(new TreeMap<>(settings));
    Map<String, Object> own = new TreeMap<>();
    for (String key : SETTINGS.names()) {
      own.put(key, parse(key));
    }
    topics =
        new TaggingTopology.Topics(
            (String) own.get("tagger.input.topic"),
            (String) own.get("tagger.output.topic"),
            (String) own.get("tagger.error.topic"));
    inputFormat = RecordFormat.parse((String) own.get("tagger.input.format"));
    outputFormat = RecordFormat.parse((String) own.get("tagger.output.format"));
    batching =
        new Batching(
            (Integer) own.get("tagger.batch.max.records"),
            (Long) own.get("tagger.batch.max.wait.ms"),
            (Long) own.get("tagger.batch.quiet.ms"),
            (Boolean) own.get("tagger.batch.quiet.when.fetched"));
    String model = ((String) own.get("tagger.model.path")).trim();
    modelPath = model.isEmpty() ? null : Path.of(model);
    String control = (String) own.get("tagger.model.control.topic");
    modelControlTopic = control.isEmpty() ? null : control;
    inference =
        InferenceOptions.defaults()
            .withThreads((Integer) own.get("tagger.intra.op.threads"))
            .withProvider(
                ExecutionProvider.parse((String) own.get("tagger.execution.provider")),
                (Boolean) own.get("tagger.execution.provider.required"));
    maxRecordBytes = (Integer) own.get("tagger.max.record.bytes");
    maxTokens = (Integer) own.get("tagger.max.tokens");
    createTopics = (Boolean) own.get("tagger.topics.create");
    partitions = (Integer) own.get("tagger.topics.partitions");
    replication = (Short) own.get("tagger.topics.replication");
    httpPort = (Integer) own.get("tagger.http.port");
    httpBind = ((String) own.get("tagger.http.bind")).trim();
    for (var e : settings.entrySet()) {
      if (!e.getKey().startsWith("tagger.")) {
        try {
          KafkaSettings.check(e.getKey(), e.getValue().value());
        } catch (IllegalArgumentException bad) {
          throw refused(e.getKey(), bad.getMessage());
        }
      }
    }
    producerMaxRequestSize = readMaxRequestSize();
    // A record waiting for its batch is written to the buffer's changelog with its origin: it
    // must fit in one producer request, or the task could not go on.
    int room = producerMaxRequestSize - RecordLimits.RECORD_OVERHEAD - BUFFERED_RECORD_OVERHEAD;
    if (maxRecordBytes > room) {
      throw refused(
          "tagger.max.record.bytes",
          "leaves no room in a producer request of max.request.size="
              + producerMaxRequestSize
              + " bytes for the record's origin: at most "
              + room);
    }
  }

  /**
   * Defaults, then {@code file} (may be null), then the {@code TAGGER_*} variables of {@code env}.
   *
   * @throws IOException if the file cannot be read or is not a properties file
   * @throws IllegalArgumentException naming the key, its origin and what is wrong
   */
  public static ProcessorConfig load(Path file, Map<String, String> env) throws IOException {
    return load(file, env, Map.of());
  }

  /**
   * Defaults, then {@code file} (may be null), then the {@code TAGGER_*} variables of {@code env},
   * then {@code given}: keys and values a program sets (a demo's broker, a benchmark's topics).
   *
   * @throws IOException if the file cannot be read or is not a properties file
   * @throws IllegalArgumentException naming the key, its origin and what is wrong
   */
  public static ProcessorConfig load(Path file, Map<String, String> env, Map<String, String> given)
      throws IOException {
    Map<String, Setting> s = new LinkedHashMap<>();
    for (ConfigDef.ConfigKey key : SETTINGS.configKeys().values()) {
      s.put(key.name, new Setting(String.valueOf(key.defaultValue), "default"));
    }
    KAFKA_DEFAULTS.forEach((k, v) -> s.put(k, new Setting(v, "default")));
    if (file != null) {
      for (PropertiesFile.Entry e : PropertiesFile.read(file)) {
        String origin = file + ":" + e.line();
        s.put(known(e.key(), origin), new Setting(e.value().trim(), origin));
      }
    }
    for (var e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (name.startsWith("TAGGER_") && !NOT_SETTINGS.contains(name)) {
        s.put(fromVariable(name), new Setting(e.getValue().trim(), name));
      }
    }
    given.forEach(
        (k, v) -> s.put(known(k, "set by the program"), new Setting(v, "set by the program")));
    Setting guarantee = s.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
    if (!s.containsKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)
        && (guarantee == null || guarantee.value().equals(StreamsConfig.AT_LEAST_ONCE))) {
      // What a crash makes at_least_once tag twice is what came since the last commit: Kafka
      // Streams commits every 30 s by default, a second costs a commit request per second.
      s.put(
          StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, new Setting("1000", "default (at_least_once)"));
    }
    return new ProcessorConfig(s);
  }

  /** The key, if it is one of ours or Kafka's; else an error naming it and the one meant. */
  private static String known(String key, String origin) {
    if (key.startsWith("tagger.")) {
      if (!SETTINGS.names().contains(key)) {
        throw new IllegalArgumentException(
            origin + ": unknown key '" + key + "'" + Suggestion.hint(key, SETTINGS.names()));
      }
    } else if (!KafkaSettings.isKnown(key)) {
      throw new IllegalArgumentException(
          origin
              + ": '"
              + key
              + "' is not a setting of Kafka Streams or of the clients it creates"
              + Suggestion.hint(key, KafkaSettings.names()));
    }
    return key;
  }

  /** The key a {@code TAGGER_} variable sets; else an error naming the variable meant. */
  private static String fromVariable(String name) {
    String key = name.substring("TAGGER_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
    if (SETTINGS.names().contains("tagger." + key)) {
      return "tagger." + key;
    }
    if (KafkaSettings.isKnown(key)) {
      return key;
    }
    List<String> variables = new ArrayList<>();
    SETTINGS.names().forEach(k -> variables.add(variable(k.substring("tagger.".length()))));
    KafkaSettings.names().forEach(k -> variables.add(variable(k)));
    throw new IllegalArgumentException(
        name
            + ": sets no setting (neither tagger."
            + key
            + " nor the Kafka setting "
            + key
            + ")"
            + Suggestion.hint(name, variables));
  }

  private static String variable(String key) {
    return "TAGGER_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private Object parse(String key) {
    ConfigDef.ConfigKey def = SETTINGS.configKeys().get(key);
    String value = settings.get(key).value();
    try {
      Object parsed = ConfigDef.parseType(key, value, def.type);
      if (def.validator != null) {
        def.validator.ensureValid(key, parsed);
      }
      return parsed;
    } catch (ConfigException e) {
      throw refused(key, KafkaSettings.why(e.getMessage()));
    }
  }

  private IllegalArgumentException refused(String key, String why) {
    Setting s = settings.get(key);
    String shown = KafkaSettings.isSecret(key) ? "****" : s.value();
    return new IllegalArgumentException(s.origin() + ": " + key + "=" + shown + ": " + why);
  }

  private int readMaxRequestSize() {
    String prefixed = StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    Setting s =
        settings.containsKey(prefixed)
            ? settings.get(prefixed)
            : settings.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    return s == null
        ? RecordLimits.KAFKA_DEFAULT_MAX_REQUEST_SIZE
        : Integer.parseInt(s.value().trim());
  }

  public TaggingTopology.Topics topics() {
    return topics;
  }

  public RecordFormat inputFormat() {
    return inputFormat;
  }

  public RecordFormat outputFormat() {
    return outputFormat;
  }

  public Batching batching() {
    return batching;
  }

  /** The model file, or null for the bundled model. */
  public Path modelPath() {
    return modelPath;
  }

  /** The topic of model announcements, or null when models are not swapped while running. */
  public String modelControlTopic() {
    return modelControlTopic;
  }

  public InferenceOptions inference() {
    return inference;
  }

  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  public int maxTokens() {
    return maxTokens;
  }

  public boolean createTopics() {
    return createTopics;
  }

  public int partitions() {
    return partitions;
  }

  public short replication() {
    return replication;
  }

  /** The port of the health and metrics endpoints, or 0 for none. */
  public int httpPort() {
    return httpPort;
  }

  /** The address the health and metrics endpoints listen on. */
  public String httpBind() {
    return httpBind;
  }

  /**
   * The producer's {@code max.request.size} as Kafka Streams gives it to its producers (a {@code
   * producer.} prefixed key wins over the plain one).
   */
  public int producerMaxRequestSize() {
    return producerMaxRequestSize;
  }

  /** Everything for Kafka Streams: every key that is not the processor's own (a new copy). */
  public Properties kafka() {
    Properties p = new Properties();
    settings.forEach(
        (k, s) -> {
          if (!k.startsWith("tagger.")) {
            p.put(k, s.value());
          }
        });
    return p;
  }

  /**
   * Settings for a consumer of the service's own (the model control topic's, {@code tagger
   * consume}'s): the Kafka settings a consumer understands (bootstrap, security), without a group,
   * committing nothing, reading bytes.
   */
  public Properties plainConsumer() {
    Properties p = new Properties();
    kafka()
        .forEach(
            (k, v) -> {
              if (ConsumerConfig.configNames().contains(k.toString())) {
                p.put(k, v);
              }
            });
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  /** Settings for a producer of the service's own ({@code tagger rollout}'s), writing bytes. */
  public Properties plainProducer() {
    Properties p = new Properties();
    kafka()
        .forEach(
            (k, v) -> {
              if (ProducerConfig.configNames().contains(k.toString())) {
                p.put(k, v);
              }
            });
    p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    p.remove(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /** The value of a key as resolved (secrets included), or null. */
  public String get(String key) {
    Setting s = settings.get(key);
    return s == null ? null : s.value();
  }

  /**
   * The resolved configuration for the log: one line per key, {@code key=value (origin)}, sorted,
   * with the value of every secret (what Kafka types as a password, or a key that names one)
   * masked.
   */
  public String printable() {
    StringBuilder sb = new StringBuilder();
    settings.forEach(
        (k, s) ->
            sb.append(k)
                .append('=')
                .append(KafkaSettings.isSecret(k) ? "****" : s.value())
                .append(" (")
                .append(s.origin())
                .append(")\n"));
    return sb.toString();
  }

  /** A legal topic name, by Kafka's own rule. */
  private static ConfigDef.Validator topic() {
    return (name, value) -> {
      try {
        Topic.validate((String) value);
      } catch (InvalidTopicException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    };
  }
}
