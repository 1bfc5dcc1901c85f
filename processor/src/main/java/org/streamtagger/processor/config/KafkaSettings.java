package org.streamtagger.processor.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka settings Kafka Streams and the clients it creates understand, as Kafka's own {@link
 * ConfigDef}s define them: Kafka Streams' keys, the consumer's, producer's and admin client's keys
 * plain (Kafka Streams hands them to every client of that kind) or behind a prefix ({@code
 * consumer.}, {@code main.consumer.}, {@code restore.consumer.}, {@code global.consumer.}, {@code
 * producer.}, {@code admin.}), the topic settings Kafka Streams gives the topics it creates ({@code
 * topic.}), and the client tags of rack-aware assignment ({@code client.tag.}, any name).
 */
final class KafkaSettings {
  private static final ConfigDef STREAMS = StreamsConfig.configDef();
  private static final ConfigDef CONSUMER = ConsumerConfig.configDef();
  private static final ConfigDef PRODUCER = ProducerConfig.configDef();
  private static final ConfigDef ADMIN = AdminClientConfig.configDef();
  private static final List<ConfigDef> UNPREFIXED = List.of(STREAMS, CONSUMER, PRODUCER, ADMIN);

  private static final Map<String, ConfigDef> PREFIXES =
      Map.of(
          StreamsConfig.MAIN_CONSUMER_PREFIX, CONSUMER,
          StreamsConfig.RESTORE_CONSUMER_PREFIX, CONSUMER,
          StreamsConfig.GLOBAL_CONSUMER_PREFIX, CONSUMER,
          StreamsConfig.CONSUMER_PREFIX, CONSUMER,
          StreamsConfig.PRODUCER_PREFIX, PRODUCER,
          StreamsConfig.ADMIN_CLIENT_PREFIX, ADMIN);

  /** Topic settings: Kafka's clients name them as constants of {@link TopicConfig}. */
  private static final Set<String> TOPIC_SETTINGS = topicSettings();

  /**
   * Kafka settings Kafka does not check that break the stream, and what they must be: Kafka Streams
   * accepts {@code num.stream.threads=-2} and then waits in REBALANCING forever.
   */
  private static final Map<String, Integer> AT_LEAST =
      Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);

  private KafkaSettings() {}

  /** Whether Kafka Streams or one of its clients defines {@code key}. */
  static boolean isKnown(String key) {
    if (key.startsWith(StreamsConfig.CLIENT_TAG_PREFIX)
        && key.length() > StreamsConfig.CLIENT_TAG_PREFIX.length()) {
      return true;
    }
    if (key.startsWith(StreamsConfig.TOPIC_PREFIX)
        && TOPIC_SETTINGS.contains(key.substring(StreamsConfig.TOPIC_PREFIX.length()))) {
      return true;
    }
    return definition(key).isPresent();
  }

  /** Kafka's definition of the key (type, validator), plain or behind a client prefix. */
  static Optional<ConfigDef.ConfigKey> definition(String key) {
    for (ConfigDef def : UNPREFIXED) {
      ConfigDef.ConfigKey k = def.configKeys().get(key);
      if (k != null) {
        return Optional.of(k);
      }
    }
    for (var prefix : PREFIXES.entrySet()) {
      if (key.startsWith(prefix.getKey())) {
        ConfigDef.ConfigKey k =
            prefix.getValue().configKeys().get(key.substring(prefix.getKey().length()));
        if (k != null) {
          return Optional.of(k);
        }
      }
    }
    return Optional.empty();
  }

  /** Whether Kafka types the key as a password (or it names a secret): its value is never shown. */
  static boolean isSecret(String key) {
    Optional<ConfigDef.ConfigKey> k = definition(key);
    if (k.isPresent() && k.get().type == ConfigDef.Type.PASSWORD) {
      return true;
    }
    String lower = key.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("password") || lower.contains("secret") || lower.contains("jaas");
  }

  /**
   * Checks the value as Kafka would parse it (its type and validator), and the few rules Kafka
   * leaves out ({@link #AT_LEAST}).
   *
   * @throws IllegalArgumentException saying what is wrong with the value
   */
  static void check(String key, String value) {
    Optional<ConfigDef.ConfigKey> k = definition(key);
    if (k.isEmpty()) {
      return;
    }
    Object parsed;
    try {
      parsed = ConfigDef.parseType(key, value, k.get().type);
      if (k.get().validator != null) {
        k.get().validator.ensureValid(key, parsed);
      }
    } catch (ConfigException e) {
      throw new IllegalArgumentException(why(e.getMessage()));
    }
    Integer min = AT_LEAST.get(key);
    if (min != null && parsed instanceof Number n && n.longValue() < min) {
      throw new IllegalArgumentException("must be at least " + min);
    }
  }

  /**
   * The part of a {@link ConfigException}'s message after "Invalid value X for configuration K".
   */
  static String why(String message) {
    int colon = message.indexOf(": ");
    String why = colon >= 0 ? message.substring(colon + 2) : message;
    return why.isEmpty() ? message : Character.toLowerCase(why.charAt(0)) + why.substring(1);
  }

  /** Every key this class knows, prefixed forms included, for suggestions. */
  static Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (ConfigDef def : UNPREFIXED) {
      names.addAll(def.names());
    }
    PREFIXES.forEach((prefix, def) -> def.names().forEach(n -> names.add(prefix + n)));
    TOPIC_SETTINGS.forEach(n -> names.add(StreamsConfig.TOPIC_PREFIX + n));
    return names;
  }

  private static Set<String> topicSettings() {
    Set<String> names = new TreeSet<>();
    for (Field f : TopicConfig.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())
          && f.getType() == String.class
          && f.getName().endsWith("_CONFIG")) {
        try {
          names.add((String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return names;
  }
}
