package org.streamtagger.processor.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.streamtagger.processor.serde.RecordFormat;
import org.streamtagger.processor.topology.RecordLimits;
import org.streamtagger.processor.topology.TaggingTopology;
import org.streamtagger.tagging.inference.ExecutionProvider;
import org.streamtagger.tagging.inference.InferenceOptions;
import org.streamtagger.tagging.inference.OnnxTagger;

/**
 * The processor's configuration: defaults, then a properties file, then environment variables. Keys
 * starting with {@code tagger.} are the processor's own (unknown ones are an error); every other
 * key is Kafka's (bootstrap servers, security, SASL, processing.guarantee, num.stream.threads,
 * producer and consumer settings...) and passes through to Kafka Streams. An environment variable
 * {@code TAGGER_SOME_KEY} sets {@code tagger.some.key} when that is one of ours, and the Kafka key
 * {@code some.key} otherwise (e.g. {@code TAGGER_BOOTSTRAP_SERVERS}).
 */
public final class ProcessorConfig {
  /** The processor's own keys and their defaults. */
  public static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("tagger.input.topic", "sentences"),
          Map.entry("tagger.output.topic", "tagged-sentences"),
          Map.entry("tagger.error.topic", "tagging-errors"),
          Map.entry("tagger.input.format", "auto"),
          Map.entry("tagger.output.format", "avro"),
          Map.entry("tagger.batch.max.records", "64"),
          Map.entry("tagger.batch.max.wait.ms", "20"),
          Map.entry("tagger.batch.quiet.ms", "1"),
          Map.entry("tagger.batch.quiet.when.fetched", "true"),
          Map.entry("tagger.batch.busy.share", "1"),
          Map.entry("tagger.batch.behind.ms", "0"),
          Map.entry("tagger.model.path", ""),
          Map.entry("tagger.execution.provider", "cpu"),
          Map.entry("tagger.execution.provider.required", "false"),
          Map.entry("tagger.intra.op.threads", "1"),
          Map.entry("tagger.max.record.bytes", "65536"),
          Map.entry("tagger.max.tokens", "1000"),
          Map.entry("tagger.topics.create", "true"),
          Map.entry("tagger.topics.partitions", "2"),
          Map.entry("tagger.topics.replication", "1"));

  /** Kafka settings the processor changes from Kafka's own defaults. */
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
          // Kafka 5.0's default. The stream has no global state, so it changes no behaviour; it
          // spares one of the two warnings recommending it that Kafka Streams 4.4 logs at start
          // (the other comes from a configuration Kafka Streams builds itself).
          StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG,
          "true");

  /** A buffered record's origin beside its key and value: a topic name of up to 249 characters. */
  private static final int BUFFERED_RECORD_OVERHEAD = 512;

  private static final Set<String> SECRET_HINTS = Set.of("password", "jaas", "secret", "token");

  private final Map<String, String> values;

  private ProcessorConfig(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Defaults, then {@code file} (may be null), then {@code env}.
   *
   * @throws IllegalArgumentException for an unknown {@code tagger.} key or a bad value
   */
  public static ProcessorConfig load(Path file, Map<String, String> env) throws IOException {
    Map<String, String> v = new TreeMap<>(DEFAULTS);
    v.putAll(KAFKA_DEFAULTS);
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new NoSuchFileException(file + ": no such configuration file");
      }
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      for (String k : p.stringPropertyNames()) {
        v.put(check(k, file.toString()), p.getProperty(k).trim());
      }
    }
    env.forEach(
        (name, value) -> {
          if (name.startsWith("TAGGER_")
              && !name.equals("TAGGER_DEBUG")
              && !name.equals("TAGGER_DATA")
              && !name.equals("TAGGER_JAVA_OPTS")) {
            String key = name.substring(7).toLowerCase(Locale.ROOT).replace('_', '.');
            v.put(DEFAULTS.containsKey("tagger." + key) ? "tagger." + key : key, value);
          }
        });
    ProcessorConfig c = new ProcessorConfig(v);
    c.validate();
    return c;
  }

  private static String check(String key, String source) {
    if (key.startsWith("tagger.") && !DEFAULTS.containsKey(key)) {
      throw new IllegalArgumentException(
          source + ": unknown key '" + key + "'; known: " + new TreeMap<>(DEFAULTS).keySet());
    }
    return key;
  }

  private void validate() {
    topics();
    inputFormat();
    outputFormat();
    batching();
    inference();
    createTopics();
    positive("tagger.max.tokens");
    // A record waiting for its batch is written to the buffer's changelog with its origin (topic
    // name and numbers): it must fit in one producer request, or the task could not go on.
    int request = producerMaxRequestSize();
    int room = request - RecordLimits.RECORD_OVERHEAD - BUFFERED_RECORD_OVERHEAD;
    if (maxRecordBytes() > room) {
      throw new IllegalArgumentException(
          "tagger.max.record.bytes="
              + maxRecordBytes()
              + " does not leave room in a producer request of max.request.size="
              + request
              + " bytes for the record's origin: at most "
              + room);
    }
    positive("tagger.topics.partitions");
    positive("tagger.topics.replication");
  }

  public String get(String key) {
    return values.get(key);
  }

  public TaggingTopology.Topics topics() {
    return new TaggingTopology.Topics(
        get("tagger.input.topic"), get("tagger.output.topic"), get("tagger.error.topic"));
  }

  public RecordFormat inputFormat() {
    return RecordFormat.parse(get("tagger.input.format"));
  }

  public RecordFormat outputFormat() {
    return RecordFormat.parse(get("tagger.output.format"));
  }

  public TaggingTopology.Batching batching() {
    return new TaggingTopology.Batching(
        positive("tagger.batch.max.records"),
        positive("tagger.batch.max.wait.ms"),
        positive("tagger.batch.quiet.ms"),
        bool("tagger.batch.quiet.when.fetched"),
        share("tagger.batch.busy.share"),
        notNegative("tagger.batch.behind.ms"));
  }

  /** The model file, or null for the bundled model. */
  public Path modelPath() {
    String p = get("tagger.model.path");
    return p == null || p.isBlank() ? null : Path.of(p);
  }

  /** Loads the configured model (the bundled one unless a path is set) with these options. */
  public OnnxTagger loadModel() throws IOException {
    Path path = modelPath();
    return path == null ? OnnxTagger.bundled(inference()) : OnnxTagger.load(path, inference());
  }

  public InferenceOptions inference() {
    int threads = Integer.parseInt(get("tagger.intra.op.threads"));
    return InferenceOptions.defaults()
        .withThreads(threads)
        .withProvider(
            ExecutionProvider.parse(get("tagger.execution.provider")),
            bool("tagger.execution.provider.required"));
  }

  public int maxRecordBytes() {
    return positive("tagger.max.record.bytes");
  }

  /**
   * The producer's {@code max.request.size} as Kafka Streams gives it to its producers (a {@code
   * producer.} prefixed key wins over the plain one).
   */
  public int producerMaxRequestSize() {
    String key = ProducerConfig.MAX_REQUEST_SIZE_CONFIG;
    String prefixed = StreamsConfig.producerPrefix(key);
    String v = get(prefixed) != null ? get(prefixed) : get(key);
    if (v == null) {
      return RecordLimits.KAFKA_DEFAULT_MAX_REQUEST_SIZE;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        (get(prefixed) != null ? prefixed : key) + " must be a positive integer, got '" + v + "'");
  }

  public int maxTokens() {
    return positive("tagger.max.tokens");
  }

  public boolean createTopics() {
    return bool("tagger.topics.create");
  }

  public int partitions() {
    return positive("tagger.topics.partitions");
  }

  public short replication() {
    return (short) positive("tagger.topics.replication");
  }

  /** Everything for Kafka Streams: every key that is not the processor's own. */
  public Properties kafka() {
    Properties p = new Properties();
    values.forEach(
        (k, v) -> {
          if (!k.startsWith("tagger.")) {
            p.put(k, v);
          }
        });
    return p;
  }

  /** The resolved configuration for the log, secrets masked. */
  public Map<String, String> printable() {
    Map<String, String> m = new TreeMap<>();
    values.forEach(
        (k, v) ->
            m.put(
                k,
                !k.startsWith("tagger.")
                        && SECRET_HINTS.stream().anyMatch(k.toLowerCase(Locale.ROOT)::contains)
                    ? "****"
                    : v));
    return m;
  }

  private double share(String key) {
    try {
      double v = Double.parseDouble(get(key));
      if (v > 0 && v <= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + " must be a number in (0, 1], got '" + get(key) + "'");
  }

  private boolean bool(String key) {
    String v = get(key).trim();
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException(key + " must be true or false, got '" + get(key) + "'");
  }

  private int notNegative(String key) {
    return integer(key, 0, "an integer of 0 or more");
  }

  private int positive(String key) {
    return integer(key, 1, "a positive integer");
  }

  private int integer(String key, int min, String what) {
    try {
      int n = Integer.parseInt(get(key));
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + " must be " + what + ", got '" + get(key) + "'");
  }
}
