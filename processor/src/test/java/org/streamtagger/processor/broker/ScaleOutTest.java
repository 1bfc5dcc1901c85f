package org.streamtagger.processor.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.processor.serde.SentenceCodec;

/**
 * Three processors in child JVMs share a 6-partition input under one application id, with the
 * processor's defaults. While records flow, instances are added, one is killed with SIGKILL and
 * left dead (the others must take its partitions over), then started again, and one with a static
 * group membership ({@code group.instance.id}) is killed and restarted at once (a pod restart).
 * Every input id must come out exactly once under exactly_once_v2 (run with one standby replica of
 * each task's batch buffer) and at least once under at_least_once, each key's records in the order
 * they were sent; the test prints how long the killed instances' partitions went unserved.
 */
@ExtendWith(SharedBroker.class)
class ScaleOutTest {
  private static final int PARTITIONS = 6;
  private static final int KEYS = 30;
  private static final int RATE_PER_S = 50;

  /**
   * A partition unserved this long after a kill fails the test: well above the figures this machine
   * measures (see the README), well below Kafka's own 45 s session timeout.
   */
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(25);

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker(EmbeddedKafka shared) {
    kafka = shared;
  }

  /** One record read from the output topic: its id, partition and when it arrived. */
  private record Arrival(String id, int partition, long nanos) {}

  @ParameterizedTest
  @ValueSource(strings = {"exactly_once_v2", "at_least_once"})
  void instancesComeAndGoAndNothingIsLostOrReordered(String guarantee, @TempDir Path scratch)
      throws Exception {
    String prefix = "scale-" + guarantee.replace('_', '-');
    kafka.createTopics(List.of(prefix + "-in", prefix + "-out", prefix + "-err"), PARTITIONS);
    Map<String, String> env = new HashMap<>();
    env.put("TAGGER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("TAGGER_APPLICATION_ID", prefix);
    env.put("TAGGER_INPUT_TOPIC", prefix + "-in");
    env.put("TAGGER_OUTPUT_TOPIC", prefix + "-out");
    env.put("TAGGER_ERROR_TOPIC", prefix + "-err");
    env.put("TAGGER_PROCESSING_GUARANTEE", guarantee);
    boolean standby = guarantee.equals("exactly_once_v2");
    if (standby) {
      // A copy of each task's batch buffer on another instance (README, "Many instances").
      env.put("TAGGER_NUM_STANDBY_REPLICAS", "1");
    }
    Map<String, ChildProcessor> instances = new LinkedHashMap<>();
    List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    List<String> events = new ArrayList<>();
    try (StreamHarness h = new StreamHarness(kafka.bootstrapServers());
        KafkaConsumer<byte[], byte[]> out = h.consumer(prefix + "-out", prefix + "-reader")) {
      Thread reader =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  for (ConsumerRecord<byte[], byte[]> r : out.poll(Duration.ofMillis(50))) {
                    try {
                      arrivals.add(
                          new Arrival(
                              SentenceCodec.decodeTagged(r.value()).getId(),
                              r.partition(),
                              System.nanoTime()));
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }
                }
              },
              "reader");
      PacedFeeder feeder = new PacedFeeder(h, prefix + "-in", KEYS, RATE_PER_S);
      reader.start();
      try {
        start(instances, "a", env, scratch);
        if (standby) {
          assertTrue(
              instances
                  .get("a")
                  .log()
                  .contains("num.standby.replicas=1 (TAGGER_NUM_STANDBY_REPLICAS)"),
              "the standby setting reaches Kafka Streams");
        }
        feeder.start();
        Thread.sleep(4000);
        start(instances, "b", env, scratch);
        Thread.sleep(4000);
        start(instances, "c", env, scratch);
        Thread.sleep(6000);

        long killedB = kill(instances, "b");
        double gapB = awaitEveryPartitionAfter(arrivals, killedB);
        events.add(String.format("b killed: partitions served again after %.1f s", gapB));
        start(instances, "b", env, scratch);
        Thread.sleep(6000);

        long killedC = kill(instances, "c");
        long restart = System.nanoTime();
        start(instances, "c", env, scratch);
        double running = (System.nanoTime() - restart) / 1e9;
        double gapC = awaitEveryPartitionAfter(arrivals, killedC);
        events.add(
            String.format(
                "c killed and restarted at once: RUNNING again after %.1f s, partitions served"
                    + " again after %.1f s",
                running, gapC));
        Thread.sleep(4000);
        feeder.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (distinct(arrivals).size() < feeder.sent().size() && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        Thread.sleep(3000); // anything still in flight shows up now
      } finally {
        feeder.close();
        for (ChildProcessor child : instances.values()) {
          child.stop();
        }
        for (ChildProcessor child : instances.values()) {
          child.awaitExit(Duration.ofSeconds(30));
          child.close();
        }
        reader.interrupt();
        reader.join();
      }

      Set<String> ids = feeder.sent();
      Set<String> received = distinct(arrivals);
      long lost = ids.stream().filter(id -> !received.contains(id)).count();
      int duplicates = arrivals.size() - received.size();
      System.out.printf(
          "scale-out %s: sent %d, received %d (%d distinct), lost %d, duplicates %d; %s%n",
          guarantee,
          ids.size(),
          arrivals.size(),
          received.size(),
          lost,
          duplicates,
          String.join("; ", events));
      assertEquals(0, lost, "lost");
      if (guarantee.equals("exactly_once_v2")) {
        assertEquals(0, duplicates, "exactly once: no duplicates");
      }
      assertKeyOrder(arrivals);
      for (String e : events) {
        for (String figure : e.split("after ")) {
          if (figure.matches("^[0-9.]+ s.*")) {
            double s = Double.parseDouble(figure.substring(0, figure.indexOf(' ')));
            assertTrue(s < RECOVERY_BOUND.toSeconds(), e);
          }
        }
      }
    }
  }

  private static void start(
      Map<String, ChildProcessor> instances, String name, Map<String, String> env, Path scratch)
      throws Exception {
    Path dir = Files.createDirectories(scratch.resolve(name));
    Map<String, String> own = new HashMap<>(env);
    own.put("TAGGER_STATE_DIR", dir.resolve("state").toString());
    if (name.equals("c")) {
      // Static membership, as a StatefulSet's pods would have (README, "Many instances"): a
      // restart takes its partitions back at once.
      own.put("TAGGER_GROUP_INSTANCE_ID", "c");
    }
    ChildProcessor child = ChildProcessor.start(own, dir);
    instances.put(name, child);
    assertTrue(
        child.awaitLog("-> RUNNING", Duration.ofSeconds(90)),
        () -> {
          try {
            return name + " did not get to RUNNING:\n" + child.log();
          } catch (Exception e) {
            return name + " did not get to RUNNING";
          }
        });
  }

  private static long kill(Map<String, ChildProcessor> instances, String name) throws Exception {
    ChildProcessor child = instances.remove(name);
    long at = System.nanoTime();
    child.kill();
    return at;
  }

  /**
   * Seconds from {@code since} until every output partition has had a record that arrived after it:
   * how long the dead instance's partitions went unserved.
   */
  private static double awaitEveryPartitionAfter(List<Arrival> arrivals, long since)
      throws InterruptedException {
    long deadline = since + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      Map<Integer, Long> first = new TreeMap<>();
      for (Arrival a : arrivals) {
        if (a.nanos() > since) {
          first.putIfAbsent(a.partition(), a.nanos());
        }
      }
      if (first.size() == PARTITIONS) {
        return (first.values().stream().mapToLong(Long::longValue).max().getAsLong() - since) / 1e9;
      }
      Thread.sleep(100);
    }
    return Duration.ofSeconds(90).toSeconds();
  }

  private static Set<String> distinct(List<Arrival> arrivals) {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    arrivals.forEach(a -> ids.add(a.id()));
    return ids;
  }

  /**
   * Each key's records first appear in the order they were sent: 0, 1, 2, ... (a replay after a
   * crash under at_least_once may repeat some, but never brings a later one before an earlier).
   */
  private static void assertKeyOrder(List<Arrival> arrivals) {
    Map<String, Integer> nextSeq = new HashMap<>();
    for (Arrival a : arrivals) {
      String key = a.id().substring(0, a.id().indexOf('-'));
      int seq = Integer.parseInt(a.id().substring(a.id().indexOf('-') + 1));
      int expected = nextSeq.getOrDefault(key, 0);
      assertTrue(seq <= expected, "key " + key + ": " + a.id() + " came before seq " + expected);
      if (seq == expected) {
        nextSeq.put(key, expected + 1);
      }
    }
  }
}
