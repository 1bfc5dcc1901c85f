package org.streamtagger.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.corpus.ConlluReader;
import org.streamtagger.trainer.cli.DataLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tagger bench scale}: processor instances in JVMs of their own sharing one input topic.
 * Throughput with 1, 2, 3 instances (with each instance's CPU, since the instances share this
 * machine's cores), then, with three instances fed at a steady rate, how long a killed instance's
 * partitions go unserved: killed and left dead, killed and restarted at once with a static group
 * membership, and without one.
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description =
        "Processor instances (separate JVMs, one application id) on an embedded broker:"
            + " throughput and CPU per instance for each count of --instances, then the seconds"
            + " a SIGKILLed instance's partitions go unserved (left dead; restarted at once, with"
            + " and without group.instance.id) for each --guarantee.")
public final class BenchScaleCommand implements Callable<Integer> {
  @Option(
      names = "--data",
      paramLabel = "FILE",
      description = "CoNLL-U whose # text lines are sent (default: EWT test).")
  Path data;

  @Option(
      names = "--instances",
      defaultValue = "1,2,3",
      split = ",",
      description = "Instance counts of the throughput runs (default: ${DEFAULT-VALUE}).")
  List<Integer> instanceCounts;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      description = "Partitions of the input topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--copies",
      defaultValue = "2",
      description = "Times the sentences are sent per throughput run (default: ${DEFAULT-VALUE}).")
  int copies;

  @Option(
      names = "--guarantee",
      defaultValue = "at_least_once,exactly_once_v2",
      split = ",",
      description = "Processing guarantees of the recovery runs (default: ${DEFAULT-VALUE}).")
  List<String> guarantees;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description =
          "Rounds of the three kinds of kill per guarantee (0: no recovery runs; default:"
              + " ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--rate",
      defaultValue = "50",
      description = "Sentences/s fed during the recovery runs (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  private static final Duration READY_WITHIN = Duration.ofSeconds(120);

  /** One output record's arrival: its partition and when it came. */
  private record Arrival(String id, int partition, long nanos) {}

  @Override
  public Integer call() throws Exception {
    if (partitions < 1 || copies < 1 || rounds < 0 || rate < 1) {
      throw new IllegalArgumentException(
          "--partitions, --copies and --rate must be at least 1, --rounds at least 0");
    }
    for (int n : instanceCounts) {
      if (n < 1 || n > partitions) {
        throw new IllegalArgumentException(
            "--instances: each count must be 1 to --partitions (" + partitions + "), got " + n);
      }
    }
    for (String g : guarantees) {
      if (!g.equals("at_least_once") && !g.equals("exactly_once_v2")) {
        throw new IllegalArgumentException(
            "--guarantee: at_least_once or exactly_once_v2, got " + g);
      }
    }
    Path file = data != null ? data : DataLocation.ewt("test");
    List<String> texts = new ArrayList<>();
    for (var s : ConlluReader.read(file)) {
      if (s.text() != null) {
        texts.add(s.text());
      }
    }
    Path work = Files.createTempDirectory("streamtagger-scale-");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("data", file.toString());
    out.put("partitions", partitions);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    List<Map<String, Object>> throughput = new ArrayList<>();
    List<Map<String, Object>> recovery = new ArrayList<>();
    out.put("throughput", throughput);
    out.put("recovery", recovery);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      for (int n : instanceCounts) {
        Map<String, Object> r = throughput(kafka, work, texts, n);
        report("throughput", r);
        throughput.add(r);
      }
      for (String g : guarantees) {
        for (Map<String, Object> r : recovery(kafka, work, texts, g)) {
          report("recovery", r);
          recovery.add(r);
        }
      }
    } finally {
      deleteTree(work);
    }
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(out));
    }
    return 0;
  }

  private void report(String what, Map<String, Object> r) {
    if (json) {
      System.err.println(what + ": " + r);
    } else {
      System.out.println(what + ": " + r);
    }
  }

  private Map<String, String> env(EmbeddedKafka kafka, String prefix, String guarantee) {
    Map<String, String> env = new HashMap<>();
    env.put("TAGGER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("TAGGER_APPLICATION_ID", prefix);
    env.put("TAGGER_INPUT_TOPIC", prefix + "-in");
    env.put("TAGGER_OUTPUT_TOPIC", prefix + "-out");
    env.put("TAGGER_ERROR_TOPIC", prefix + "-err");
    env.put("TAGGER_PROCESSING_GUARANTEE", guarantee);
    return env;
  }

  /**
   * {@code n} instances, all ready (each holding partitions) before the first record is sent; then
   * every sentence {@link #copies} times, as fast as the producer sends them.
   */
  private Map<String, Object> throughput(EmbeddedKafka kafka, Path work, List<String> texts, int n)
      throws Exception {
    String prefix = "scale-" + n;
    kafka.createTopics(List.of(prefix + "-in", prefix + "-out", prefix + "-err"), partitions);
    Map<String, String> env = env(kafka, prefix, "at_least_once");
    List<ProcessorInstance> instances = new ArrayList<>();
    Map<String, Object> r = new LinkedHashMap<>();
    try (KafkaProducer<byte[], byte[]> producer = BenchClients.producer(kafka);
        KafkaConsumer<byte[], byte[]> consumer = BenchClients.consumer(kafka, prefix + "-out")) {
      for (int i = 0; i < n; i++) {
        instances.add(
            ProcessorInstance.start("i" + i, env, work.resolve(prefix + "-i" + i), freePort()));
      }
      for (ProcessorInstance instance : instances) {
        instance.awaitReady(READY_WITHIN);
      }
      consumer.poll(Duration.ofMillis(500)); // joined before anything is sent
      double[] cpuBefore = instances.stream().mapToDouble(ProcessorInstance::cpuSeconds).toArray();
      double ownBefore = ownCpuSeconds();
      int total = texts.size() * copies;
      long start = System.nanoTime();
      for (int c = 0; c < copies; c++) {
        for (int i = 0; i < texts.size(); i++) {
          String id = c + "-" + i;
          producer.send(BenchClients.sentence(prefix + "-in", id, texts.get(i)));
        }
      }
      producer.flush();
      Set<String> seen = new java.util.HashSet<>();
      long last = start;
      long deadline = start + TimeUnit.MINUTES.toNanos(10);
      while (seen.size() < total && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(100))) {
          seen.add(new String(rec.key(), StandardCharsets.UTF_8));
          last = System.nanoTime();
        }
      }
      double seconds = (last - start) / 1e9;
      List<Double> cores = new ArrayList<>();
      double cpu = 0;
      for (int i = 0; i < n; i++) {
        double used = instances.get(i).cpuSeconds() - cpuBefore[i];
        cpu += used;
        cores.add(round(used / seconds, 2));
      }
      r.put("instances", n);
      r.put("sentences", seen.size());
      r.put("of", total);
      r.put("seconds", round(seconds, 1));
      r.put("sentences_per_s", round(seen.size() / seconds, 1));
      r.put("cores_per_instance", cores);
      r.put("sentences_per_instance_cpu_s", round(seen.size() / cpu, 1));
      r.put("broker_and_clients_cores", round((ownCpuSeconds() - ownBefore) / seconds, 2));
    } finally {
      for (ProcessorInstance instance : instances) {
        instance.close();
      }
    }
    return r;
  }

  /**
   * Three instances fed at {@link #rate}; {@link #rounds} times: one killed and left dead (its
   * partitions must move to the others), then started again; one with a static membership killed
   * and restarted at once; one without, likewise.
   */
  private List<Map<String, Object>> recovery(
      EmbeddedKafka kafka, Path work, List<String> texts, String guarantee) throws Exception {
    String prefix = "recovery-" + guarantee.replace('_', '-');
    kafka.createTopics(List.of(prefix + "-in", prefix + "-out", prefix + "-err"), partitions);
    Map<String, String> env = env(kafka, prefix, guarantee);
    // i0 and i1 are dynamic members, s2 a static one (as a StatefulSet's pod would be).
    Map<String, Map<String, String>> envs = new LinkedHashMap<>();
    envs.put("i0", env);
    envs.put("i1", env);
    Map<String, String> fixed = new HashMap<>(env);
    fixed.put("TAGGER_GROUP_INSTANCE_ID", prefix + "-s2");
    envs.put("s2", fixed);
    Map<String, ProcessorInstance> instances = new LinkedHashMap<>();
    Map<String, Integer> ports = new HashMap<>();
    List<Map<String, Object>> results = new ArrayList<>();
    List<Arrival> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
    Set<String> sent = ConcurrentHashMap.newKeySet();
    AtomicBoolean feeding = new AtomicBoolean(true);
    AtomicBoolean reading = new AtomicBoolean(true);
    AtomicLong sendFailures = new AtomicLong();
    try (KafkaProducer<byte[], byte[]> producer = BenchClients.producer(kafka);
        KafkaConsumer<byte[], byte[]> consumer = BenchClients.consumer(kafka, prefix + "-out")) {
      for (String name : envs.keySet()) {
        ports.put(name, freePort());
        instances.put(name, start(name, envs, work.resolve(prefix + "-" + name), ports));
      }
      for (ProcessorInstance instance : instances.values()) {
        instance.awaitReady(READY_WITHIN);
      }
      Thread reader =
          new Thread(
              () -> {
                while (reading.get()) {
                  for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(20))) {
                    arrivals.add(
                        new Arrival(
                            new String(rec.key(), StandardCharsets.UTF_8),
                            rec.partition(),
                            System.nanoTime()));
                  }
                }
              },
              "reader");
      Thread feeder =
          new Thread(
              () -> {
                long next = System.nanoTime();
                for (int i = 0; feeding.get(); i++) {
                  String id = Integer.toString(i);
                  producer.send(
                      BenchClients.sentence(prefix + "-in", id, texts.get(i % texts.size())),
                      (m, e) -> {
                        if (e != null) {
                          sendFailures.incrementAndGet();
                        }
                      });
                  sent.add(id);
                  next += TimeUnit.SECONDS.toNanos(1) / rate;
                  long wait = next - System.nanoTime();
                  if (wait > 0) {
                    try {
                      TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
              },
              "feeder");
      reader.start();
      feeder.start();
      try {
        Thread.sleep(10_000);
        for (int round = 1; round <= rounds; round++) {
          results.add(killed(guarantee, round, "left dead", "i1", instances, arrivals));
          instances.put("i1", start("i1", envs, work.resolve(prefix + "-i1"), ports));
          instances.get("i1").awaitReady(READY_WITHIN);
          Thread.sleep(8_000);
          for (String name : List.of("s2", "i0")) {
            String kind = name.equals("s2") ? "restarted, static member" : "restarted";
            long killedAt = System.nanoTime();
            instances.remove(name).kill();
            instances.put(name, start(name, envs, work.resolve(prefix + "-" + name), ports));
            instances.get(name).awaitReady(READY_WITHIN);
            Map<String, Object> r = unserved(guarantee, round, kind, killedAt, arrivals);
            r.put("ready_again_s", round((System.nanoTime() - killedAt) / 1e9, 1));
            results.add(r);
            Thread.sleep(8_000);
          }
        }
        feeding.set(false);
        feeder.join();
        producer.flush();
        // What is still on its way, then the counts.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && distinct(arrivals).size() < sent.size()) {
          Thread.sleep(200);
        }
        Thread.sleep(2000);
      } finally {
        feeding.set(false);
        reading.set(false);
        feeder.join();
        reader.join();
      }
      Set<String> received = distinct(arrivals);
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("guarantee", guarantee);
      counts.put("sent", sent.size());
      counts.put("received", arrivals.size());
      counts.put("distinct", received.size());
      counts.put("lost", sent.stream().filter(id -> !received.contains(id)).count());
      counts.put("duplicates", arrivals.size() - received.size());
      counts.put("send_failures", sendFailures.get());
      results.add(counts);
    } finally {
      for (ProcessorInstance instance : instances.values()) {
        instance.close();
      }
    }
    return results;
  }

  private static ProcessorInstance start(
      String name, Map<String, Map<String, String>> envs, Path dir, Map<String, Integer> ports)
      throws Exception {
    return ProcessorInstance.start(name, envs.get(name), dir, ports.get(name));
  }

  private Map<String, Object> killed(
      String guarantee,
      int round,
      String kind,
      String name,
      Map<String, ProcessorInstance> instances,
      List<Arrival> arrivals)
      throws Exception {
    long killedAt = System.nanoTime();
    instances.remove(name).kill();
    return unserved(guarantee, round, kind, killedAt, arrivals);
  }

  /**
   * Waits until every partition has had an output after {@code killedAt}: the longest any of the
   * dead instance's partitions went unserved.
   */
  private Map<String, Object> unserved(
      String guarantee, int round, String kind, long killedAt, List<Arrival> arrivals)
      throws InterruptedException {
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(120);
    Double seconds = null;
    while (seconds == null && System.nanoTime() < deadline) {
      Map<Integer, Long> first = new HashMap<>();
      for (Arrival a : arrivals) {
        if (a.nanos() > killedAt) {
          first.putIfAbsent(a.partition(), a.nanos());
        }
      }
      if (first.size() == partitions) {
        long latest = first.values().stream().mapToLong(Long::longValue).max().getAsLong();
        seconds = (latest - killedAt) / 1e9;
      } else {
        Thread.sleep(50);
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("guarantee", guarantee);
    r.put("round", round);
    r.put("kill", kind);
    r.put("unserved_s", seconds == null ? "over 120" : round(seconds, 1));
    return r;
  }

  private static Set<String> distinct(List<Arrival> arrivals) {
    Set<String> ids = new java.util.HashSet<>();
    arrivals.forEach(a -> ids.add(a.id()));
    return ids;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** CPU time of this JVM (the broker, the producer and the consumer), in seconds. */
  private static double ownCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  private static double round(double x, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
