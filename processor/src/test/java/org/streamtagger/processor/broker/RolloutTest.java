package org.streamtagger.processor.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.rollout.Announcer;
import org.streamtagger.processor.rollout.ModelAnnouncement;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.processor.topology.TaggingService;

/**
 * Models swapped while records flow, under exactly_once_v2, with two instances in this JVM: the
 * shipped one-network model announced as version 2, then (while a second instance joins and the
 * group rebalances) announcements that must be refused (not an announcement, a location that does
 * not exist, a file whose SHA-256 is not the one announced) and version 2 again, then the ensemble
 * as version 3. Every id comes out exactly once; on each output partition the records of each
 * version form one run, in the order of the announcements; the refusals are logged and counted.
 */
@ExtendWith(SharedBroker.class)
class RolloutTest {
  private static final int PARTITIONS = 4;
  private static final int KEYS = 40;
  private static final int RATE_PER_S = 100;
  private static final Path FAST = Path.of("..", "models", "ewt-upos-fast.onnx");
  private static final Path ENSEMBLE =
      Path.of("..", "tagging", "src", "main", "resources", "models", "ewt-upos.onnx");

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker(EmbeddedKafka shared) {
    kafka = shared;
  }

  /** One tagged sentence read back: its id, partition, offset and the model that tagged it. */
  private record Out(String id, int partition, long offset, String model) {}

  @Test
  void twoSwapsAndRefusedAnnouncementsWhileRecordsFlow(@TempDir Path scratch) throws Exception {
    kafka.createTopics(List.of("ro-in", "ro-out", "ro-err"), PARTITIONS);
    int httpPort = freePort();
    ProcessorConfig a = config(scratch.resolve("a"), httpPort);
    ProcessorConfig b = config(scratch.resolve("b"), 0);
    ModelAnnouncement v2 = Announcer.describe(FAST, "2", null);
    ModelAnnouncement v3 = Announcer.describe(ENSEMBLE, "3", null);
    ModelAnnouncement missing =
        new ModelAnnouncement(
            scratch.resolve("nowhere.onnx").toString(), v2.name(), "4", "1".repeat(64));
    ModelAnnouncement wrongSha =
        new ModelAnnouncement(v2.location(), v2.name(), "5", "0".repeat(64));

    List<Out> outs = new CopyOnWriteArrayList<>();
    java.util.Set<String> sent;
    PrintStream stderr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new Tee(stderr, log), true, StandardCharsets.UTF_8));
    String metrics;
    String ready;
    String v1;
    try (StreamHarness h = new StreamHarness(kafka.bootstrapServers());
        KafkaConsumer<byte[], byte[]> out = h.consumer("ro-out", "ro-reader");
        TaggingService first = TaggingService.start(a)) {
      v1 = first.model().name() + ":" + first.model().version();
      assertTrue(first.awaitRunning(Duration.ofSeconds(60)));
      Thread reader = reader(out, outs);
      PacedFeeder feeder = new PacedFeeder(h, "ro-in", KEYS, RATE_PER_S);
      sent = feeder.sent();
      reader.start();
      feeder.start();
      try {
        Thread.sleep(3000);
        Announcer.announce(a, v2);
        awaitOutputs(outs, o -> o.model().equals(v2.label()), 1);
        try (TaggingService second = TaggingService.start(b)) {
          // While the group rebalances: what must be refused, and version 2 again.
          h.send("ro-models", "junk", "{\"model\": \"latest\"}".getBytes(StandardCharsets.UTF_8));
          Announcer.announce(a, missing);
          Announcer.announce(a, wrongSha);
          Announcer.announce(a, v2);
          assertTrue(second.awaitRunning(Duration.ofSeconds(60)));
          Thread.sleep(3000);
          Announcer.announce(a, v3);
          awaitOutputs(outs, o -> o.model().equals(v3.label()), PARTITIONS);
          Thread.sleep(2000);
          feeder.close();
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (distinct(outs) < sent.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
          Thread.sleep(1000);
          metrics = get("http://127.0.0.1:" + httpPort + "/metrics");
          ready = get("http://127.0.0.1:" + httpPort + "/health/ready");
        }
      } finally {
        feeder.close();
        reader.interrupt();
        reader.join();
      }
    } finally {
      System.setErr(stderr);
    }

    Map<String, Integer> perModel = new TreeMap<>();
    outs.forEach(o -> perModel.merge(o.model(), 1, Integer::sum));
    long lost = sent.stream().filter(id -> outs.stream().noneMatch(o -> o.id().equals(id))).count();
    int duplicates = outs.size() - distinct(outs);
    List<String> refusals =
        log.toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.contains("model refused"))
            .toList();
    System.out.printf(
        "rollout: sent %d, received %d (%d distinct), lost %d, duplicates %d; per model %s%n",
        sent.size(), outs.size(), distinct(outs), lost, duplicates, perModel);
    refusals.forEach(l -> System.out.println("rollout: " + l));
    List<String> twice =
        log.toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.contains(v2.label() + " (ro-models-0@4): already served"))
            .toList();
    twice.forEach(l -> System.out.println("rollout: " + l));
    metrics
        .lines()
        .filter(l -> l.startsWith("tagger_model"))
        .forEach(l -> System.out.println("rollout: " + l));

    assertEquals("ready", ready.strip(), "refusals leave readiness alone");
    assertEquals(0, lost, "lost");
    assertEquals(0, duplicates, "exactly once");
    for (String label : List.of(v1, v2.label(), v3.label())) {
      assertTrue(perModel.getOrDefault(label, 0) > 0, label + " tagged nothing: " + perModel);
    }
    assertEquals(3, perModel.size(), "only the three accepted versions: " + perModel);
    assertContiguousRuns(outs, List.of(v1, v2.label(), v3.label()));
    // The first instance refuses each of the three (the second one too, where it reads them after
    // its start rather than among the history it starts from).
    for (String why :
        List.of("not a model announcement", "no such file", "has SHA-256 " + v2.sha256())) {
      assertTrue(
          refusals.stream().anyMatch(l -> l.contains(why)),
          why + " in:\n" + String.join("\n", refusals));
    }
    assertTrue(refusals.stream().allMatch(l -> l.contains("still serving")), refusals.toString());
    assertTrue(!twice.isEmpty(), "version 2 announced again: nothing to do");
    assertTrue(metrics.contains("tagger_model_refusals_total 3.0"), metrics);
    assertTrue(metrics.contains("tagger_model_swaps_total 2.0"), metrics);
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("tagger_model_info{")
                        && l.contains("version=\"3\"")
                        && l.contains(v3.sha256())),
        metrics);
  }

  private static ProcessorConfig config(Path dir, int httpPort) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("TAGGER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("TAGGER_APPLICATION_ID", "ro");
    env.put("TAGGER_INPUT_TOPIC", "ro-in");
    env.put("TAGGER_OUTPUT_TOPIC", "ro-out");
    env.put("TAGGER_ERROR_TOPIC", "ro-err");
    env.put("TAGGER_MODEL_CONTROL_TOPIC", "ro-models");
    env.put("TAGGER_PROCESSING_GUARANTEE", "exactly_once_v2");
    env.put("TAGGER_STATE_DIR", dir.toString());
    env.put("TAGGER_HTTP_PORT", Integer.toString(httpPort));
    return ProcessorConfig.load(null, env);
  }

  /**
   * On each partition, in offset order, the models that tagged its records: each model's records
   * one run, the runs in the order the models were announced (a partition may start late or end
   * early in that order, never go back).
   */
  private static void assertContiguousRuns(List<Out> outs, List<String> order) {
    Map<Integer, List<Out>> byPartition = new TreeMap<>();
    outs.forEach(o -> byPartition.computeIfAbsent(o.partition(), p -> new ArrayList<>()).add(o));
    for (var e : byPartition.entrySet()) {
      List<Out> records = new ArrayList<>(e.getValue());
      records.sort(java.util.Comparator.comparingLong(Out::offset));
      int at = -1;
      List<String> runs = new ArrayList<>();
      for (Out o : records) {
        int i = order.indexOf(o.model());
        if (i < at) {
          throw new AssertionError(
              "partition "
                  + e.getKey()
                  + " went back from "
                  + order.get(at)
                  + " to "
                  + o.model()
                  + " at offset "
                  + o.offset()
                  + " (runs so far "
                  + runs
                  + ")");
        }
        if (i > at) {
          runs.add(o.model());
          at = i;
        }
      }
      System.out.println("rollout: partition " + e.getKey() + " runs " + runs);
    }
  }

  private static void awaitOutputs(List<Out> outs, Predicate<Out> which, int partitions)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (outs.stream().filter(which).map(Out::partition).distinct().count() >= partitions) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no such output on " + partitions + " partitions within 60 s");
  }

  private static Thread reader(KafkaConsumer<byte[], byte[]> out, List<Out> outs) {
    return new Thread(
        () -> {
          while (!Thread.currentThread().isInterrupted()) {
            for (ConsumerRecord<byte[], byte[]> r : out.poll(Duration.ofMillis(50))) {
              try {
                var t = SentenceCodec.decodeTagged(r.value());
                outs.add(new Out(t.getId(), r.partition(), r.offset(), t.getModel()));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          }
        },
        "reader");
  }

  private static int distinct(List<Out> outs) {
    return (int) outs.stream().map(Out::id).distinct().count();
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Writes to two streams: the test's stderr stays visible while it is captured. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
