package org.streamtagger.processor.topology;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamtagger.processor.config.ProcessorConfig;

/**
 * What is checked before the streams start, so that a processor that cannot work says why and exits
 * at once instead of retrying in a loop: the broker answers (within {@link #TIMEOUT_SECONDS}) and
 * accepts the credentials; the topics exist, or are created where {@code tagger.topics.create}
 * allows it; the principal may read the input and write the output and the dead letters. It also
 * reads how large a record the output topics take ({@code max.message.bytes}). The admin client
 * gets the security settings every Kafka client of the service gets (plain keys, then {@code
 * admin.}-prefixed ones).
 */
final class Preflight {
  private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);

  /** Each step's bound: a broker that does not answer within it is reported, not waited for. */
  static final int TIMEOUT_SECONDS = 15;

  private Preflight() {}

  /** Checks the broker and topics; the record limits the topics allow. */
  static RecordLimits run(ProcessorConfig config) throws IOException {
    Properties props = adminProperties(config.kafka());
    String bootstrap = props.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    var t = config.topics();
    List<String> topics = new ArrayList<>(List.of(t.input(), t.output(), t.deadLetters()));
    String control = config.modelControlTopic();
    if (control != null) {
      topics.add(control);
    }
    try (Admin admin = Admin.create(props)) {
      try {
        admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof AuthenticationException) {
          throw new IOException(
              "authentication with Kafka at " + bootstrap + " failed: " + e.getCause().getMessage(),
              e);
        }
        throw new IOException("cannot reach Kafka at " + bootstrap + ": " + rootMessage(e), e);
      } catch (TimeoutException e) {
        throw new IOException(
            "cannot reach Kafka at " + bootstrap + " within " + TIMEOUT_SECONDS + " s", e);
      }
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<String> missing = topics.stream().filter(n -> !existing.contains(n)).distinct().toList();
      if (!missing.isEmpty() && !config.createTopics()) {
        throw new IOException(
            "topics "
                + missing
                + " do not exist and tagger.topics.create is false: create them, or set"
                + " tagger.topics.create=true");
      }
      if (!missing.isEmpty()) {
        create(admin, config, missing);
      }
      checkAuthorized(admin, t.input(), AclOperation.READ, "read");
      checkAuthorized(admin, t.output(), AclOperation.WRITE, "write");
      checkAuthorized(admin, t.deadLetters(), AclOperation.WRITE, "write");
      if (control != null) {
        checkAuthorized(admin, control, AclOperation.READ, "read");
      }
      int request = config.producerMaxRequestSize();
      return new RecordLimits(
          config.maxRecordBytes(),
          config.maxTokens(),
          RecordLimits.payloadLimit(request, maxMessageBytes(admin, t.output())),
          RecordLimits.payloadLimit(request, maxMessageBytes(admin, t.deadLetters())));
    } catch (IOException e) {
      throw e;
    } catch (ExecutionException e) {
      throw new IOException(describe(e.getCause()), e);
    } catch (Exception e) {
      throw new IOException("preparing the topics failed: " + rootMessage(e), e);
    }
  }

  private static void create(Admin admin, ProcessorConfig config, List<String> names)
      throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    for (String n : names) {
      // Announcements are few and read whole by every instance: one partition keeps them in order.
      int partitions = n.equals(config.modelControlTopic()) ? 1 : config.partitions();
      topics.add(new NewTopic(n, partitions, config.replication()));
    }
    try {
      admin.createTopics(topics).all().get(2L * TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        throw new IOException(
            "not allowed to create topics "
                + names
                + " ("
                + e.getCause().getMessage()
                + "): create them beforehand, or allow this principal to create topics",
            e);
      }
      throw e;
    }
    LOG.info("created topics {}", names);
  }

  /**
   * Fails when the broker says the principal may not do {@code operation} on the topic. A broker
   * without an authorizer allows everything (and may not say so): only a list that lacks the
   * operation refuses.
   */
  private static void checkAuthorized(
      Admin admin, String topic, AclOperation operation, String verb) throws Exception {
    TopicDescription d = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (d == null) {
      try {
        d =
            admin
                .describeTopics(
                    List.of(topic), new DescribeTopicsOptions().includeAuthorizedOperations(true))
                .allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .get(topic);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof AuthorizationException) {
          throw new IOException(
              "not allowed to " + verb + " topic " + topic + ": " + e.getCause().getMessage(), e);
        }
        // A topic just created is not known to every part of the broker at once.
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
    Set<AclOperation> allowed = d == null ? null : d.authorizedOperations();
    if (allowed != null
        && !allowed.isEmpty()
        && !allowed.contains(operation)
        && !allowed.contains(AclOperation.ALL)) {
      throw new IOException(
          "not allowed to "
              + verb
              + " topic "
              + topic
              + " (the principal may "
              + new java.util.TreeSet<>(allowed)
              + "): grant "
              + operation
              + " on it");
    }
  }

  /** The topic's {@code max.message.bytes}, or Kafka's default where it cannot be read. */
  private static int maxMessageBytes(Admin admin, String topic) throws InterruptedException {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config c =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .get(resource);
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

  /**
   * The admin client's settings as Kafka Streams gives them to its own admin client: the plain keys
   * it knows, then those behind {@code admin.}; short timeouts, so that a check cannot hang.
   */
  static Properties adminProperties(Properties kafka) {
    Properties p = new Properties();
    kafka.forEach(
        (k, v) -> {
          if (AdminClientConfig.configNames().contains(k.toString())) {
            p.put(k, v);
          }
        });
    for (Map.Entry<Object, Object> e : kafka.entrySet()) {
      String key = e.getKey().toString();
      if (key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
        p.put(key.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), e.getValue());
      }
    }
    p.put(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(TIMEOUT_SECONDS * 1000));
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    return p;
  }

  private static String describe(Throwable cause) {
    if (cause instanceof AuthenticationException) {
      return "authentication failed: " + cause.getMessage();
    }
    if (cause instanceof AuthorizationException) {
      return "not authorized: " + cause.getMessage();
    }
    return "preparing the topics failed: " + rootMessage(cause);
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
