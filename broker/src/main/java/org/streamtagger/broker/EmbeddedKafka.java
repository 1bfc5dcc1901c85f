package org.streamtagger.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) inside this JVM, or in a
 * child JVM of the same class path, on loopback ports chosen at start, with single-node settings
 * that exactly_once_v2 needs. For the demo, the integration tests and the benchmarks; {@link
 * #close()} stops it and deletes its data.
 */
public final class EmbeddedKafka implements AutoCloseable {
  /** The broker's own user when it authenticates clients (a super user). */
  public static final String ADMIN_USER = "admin";

  private final KafkaRaftServer server; // null when the broker runs in a child process
  private final Process process;
  private final Path dir;
  private final String bootstrap;
  private final Map<String, Object> adminClientSettings;

  private EmbeddedKafka(
      KafkaRaftServer server,
      Process process,
      Path dir,
      String bootstrap,
      Map<String, Object> adminClientSettings) {
    this.server = server;
    this.process = process;
    this.dir = dir;
    this.bootstrap = bootstrap;
    this.adminClientSettings = adminClientSettings;
  }

  /** Formats a fresh log directory, starts the broker in this JVM and waits until it answers. */
  public static EmbeddedKafka start() throws IOException {
    return start(false);
  }

  /**
   * Formats a fresh log directory, starts the broker and waits until it answers.
   *
   * @param childProcess run it in a child JVM ({@code kafka.Kafka}, 512 MB heap, log in its data
   *     directory), so that its garbage and threads do not share this JVM's heap and collector
   */
  public static EmbeddedKafka start(boolean childProcess) throws IOException {
    return start(childProcess, null, Map.of());
  }

  /**
   * A broker in this JVM with some of its settings changed from this class's (e.g. {@code
   * group.min.session.timeout.ms}, as a managed cluster may set it).
   */
  public static EmbeddedKafka startWith(Map<String, String> brokerSettings) throws IOException {
    return start(false, null, brokerSettings);
  }

  /**
   * A broker whose client listener authenticates with SASL PLAIN and authorizes with ACLs (KRaft's
   * {@code StandardAuthorizer}, nothing allowed without an ACL): {@code users} maps user names to
   * passwords, and {@link #ADMIN_USER} (its password {@code adminPassword}) is the super user that
   * {@link #admin()} and the broker itself use. Kafka's own clients reach it with {@link
   * #clientSettings}.
   */
  public static EmbeddedKafka startWithSasl(String adminPassword, Map<String, String> users)
      throws IOException {
    Map<String, String> all = new java.util.TreeMap<>(users);
    all.put(ADMIN_USER, adminPassword);
    return start(false, all, Map.of());
  }

  /** Settings for a client that logs in as {@code user} with SASL PLAIN. */
  public static Map<String, Object> clientSettings(String user, String password) {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        "PLAIN",
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
  }

  private static EmbeddedKafka start(
      boolean childProcess, Map<String, String> saslUsers, Map<String, String> brokerSettings)
      throws IOException {
    Path dir = Files.createTempDirectory("streamtagger-kafka-");
    int brokerPort = freePort();
    int controllerPort = freePort();
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    Map<String, Object> adminSettings = new java.util.HashMap<>();
    if (saslUsers != null) {
      p.put(
          "listeners",
          "SASL_PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
      p.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + brokerPort);
      p.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
      p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
      p.put("sasl.enabled.mechanisms", "PLAIN");
      p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
      StringBuilder jaas =
          new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
      jaas.append(" username=\"").append(ADMIN_USER).append("\" password=\"");
      jaas.append(saslUsers.get(ADMIN_USER)).append('"');
      saslUsers.forEach(
          (u, pw) -> jaas.append(" user_").append(u).append("=\"").append(pw).append('"'));
      p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
      p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
      // The controller listener is plaintext on loopback: its ANONYMOUS principal is the broker.
      p.put("super.users", "User:" + ADMIN_USER + ";User:ANONYMOUS");
      adminSettings.putAll(clientSettings(ADMIN_USER, saslUsers.get(ADMIN_USER)));
    }
    p.put("log.dirs", dir.resolve("logs").toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Under exactly_once_v2 a dead instance's partitions wait until the broker aborts its open
    // transaction, which it does at its next check for timed-out transactions: every 10 s by
    // default, most of the failover time (README, "Many instances").
    p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    // The log cleaner's dedupe buffer (for compacted topics such as the buffer's changelog) is
    // 128 MB of heap by default: a quarter of the 512 MB that the demo and the benchmarks give the
    // JVM they share with the processor, and more garbage-collection work for nothing.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20));
    p.putAll(brokerSettings);
    Path config = dir.resolve("server.properties");
    try (var out = Files.newOutputStream(config)) {
      p.store(out, "embedded broker");
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int rc =
        StorageTool.execute(
            new String[] {
              "format",
              "-t",
              Uuid.randomUuid().toString(),
              "-c",
              config.toString(),
              "--ignore-formatted"
            },
            new PrintStream(log, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IOException("formatting the broker's log directory failed: " + log);
    }
    KafkaRaftServer server = null;
    Process process = null;
    if (childProcess) {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      process =
          new ProcessBuilder(
                  java.toString(),
                  "-Xmx512m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "kafka.Kafka",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("broker.log").toFile())
              .start();
    } else {
      server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
      server.startup();
    }
    EmbeddedKafka kafka =
        new EmbeddedKafka(
            server, process, dir, "127.0.0.1:" + brokerPort, Map.copyOf(adminSettings));
    try (Admin admin = kafka.admin()) {
      admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      String tail = "";
      if (process != null && Files.exists(dir.resolve("broker.log"))) {
        List<String> lines = Files.readAllLines(dir.resolve("broker.log"));
        tail = "; its log ends: " + lines.subList(Math.max(0, lines.size() - 5), lines.size());
      }
      kafka.close();
      throw new IOException("the embedded broker did not come up: " + e + tail, e);
    }
    return kafka;
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  /** An admin client of the broker's super user. */
  public Admin admin() {
    Map<String, Object> settings = new java.util.HashMap<>(adminClientSettings);
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(settings);
  }

  /** What a client of the broker's super user needs beside the bootstrap servers (none: plain). */
  public Map<String, Object> adminClientSettings() {
    return adminClientSettings;
  }

  /**
   * Creates topics and waits until every partition has a leader (producing to a partition without
   * one can lose the first batch).
   */
  public void createTopics(List<String> names, int partitions) throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList())
          .all()
          .get(30, TimeUnit.SECONDS);
      awaitLeaders(admin, names, partitions, Duration.ofSeconds(30));
    }
  }

  /** Retries listing offsets until every partition answers. */
  public static void awaitLeaders(Admin admin, List<String> names, int partitions, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
    for (String n : names) {
      for (int i = 0; i < partitions; i++) {
        request.put(new TopicPartition(n, i), OffsetSpec.latest());
      }
    }
    while (true) {
      try {
        admin.listOffsets(request).all().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("partitions without a leader after " + max, e);
        }
        Thread.sleep(100);
      }
    }
  }

  private boolean closed;

  /** Stops the broker and deletes its data; closing it again does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
    } else {
      process.destroy(); // SIGTERM: the broker shuts down cleanly
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
