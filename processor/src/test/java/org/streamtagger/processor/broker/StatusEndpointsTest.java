package org.streamtagger.processor.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.topology.TaggingService;

/**
 * The health and metrics endpoints of a running processor: readiness and liveness, and the tagging
 * metrics in Prometheus' format, scraped during a run and checked against what was tagged; a broker
 * that goes away makes it not ready without making a probe hang; a port in use stops the start with
 * one line.
 */
@ExtendWith(SharedBroker.class)
class StatusEndpointsTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker(EmbeddedKafka shared) {
    kafka = shared;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static ProcessorConfig config(EmbeddedKafka broker, String prefix, int port)
      throws Exception {
    Map<String, String> given = new HashMap<>();
    given.put("bootstrap.servers", broker.bootstrapServers());
    given.put("application.id", prefix);
    given.put("tagger.input.topic", prefix + "-in");
    given.put("tagger.output.topic", prefix + "-out");
    given.put("tagger.error.topic", prefix + "-err");
    given.put("tagger.http.port", Integer.toString(port));
    given.put("tagger.http.bind", "127.0.0.1");
    given.put("commit.interval.ms", "200");
    return ProcessorConfig.load(null, Map.of(), given);
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The sum over every series of a Prometheus metric (all tasks). */
  static double sum(String scrape, String metric) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void readinessAndTheTaggingMetricsDuringARun() throws Exception {
    int port = freePort();
    kafka.createTopics(List.of("status-in", "status-out", "status-err"), 2);
    try (StreamHarness h = new StreamHarness(kafka.bootstrapServers());
        var out = h.consumer("status-out", "status-reader");
        TaggingService service = TaggingService.start(config(kafka, "status", port))) {
      // Right after the start, while the group forms (or just after, on a fast machine): live,
      // not ready unless already running, and metrics answer.
      assertEquals(200, get(port, "/health/live").statusCode());
      HttpResponse<String> early = get(port, "/health/ready");
      if (early.statusCode() != 200) {
        assertEquals(503, early.statusCode(), early.body());
        assertTrue(early.body().startsWith("not ready: "), early.body());
      }
      assertEquals(200, get(port, "/metrics").statusCode());
      assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (get(port, "/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      HttpResponse<String> ready = get(port, "/health/ready");
      assertEquals(200, ready.statusCode(), ready.body());
      int tokens = 0;
      for (int i = 0; i < 10; i++) {
        h.send(
            "status-in", "k" + i, ("Sentence " + i + " is here.").getBytes(StandardCharsets.UTF_8));
        tokens += 5;
      }
      h.send("status-in", "bad", new byte[] {(byte) 0xC3, 0x01, 1});
      h.send("status-in", "bad", new byte[] {(byte) 0xFF});
      assertEquals(
          10, StreamHarness.readUntil(out, r -> r.size() >= 10, Duration.ofSeconds(60)).size());
      // Task metrics reach the registry within its refresh (5 s) and a sample window.
      String scrape = "";
      deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        scrape = get(port, "/metrics").body();
        if (sum(scrape, "kafka_stream_tagging_sentences_tagged_total") >= 10
            && sum(scrape, "kafka_stream_tagging_dead_letters_total") >= 2) {
          break;
        }
        Thread.sleep(500);
      }
      scrape
          .lines()
          .filter(l -> l.startsWith("kafka_stream_tagging_") && !l.startsWith("#"))
          .forEach(l -> System.out.println("metrics: " + l));
      assertEquals(10, sum(scrape, "kafka_stream_tagging_sentences_tagged_total"), scrape);
      assertEquals(tokens, sum(scrape, "kafka_stream_tagging_tokens_tagged_total"), scrape);
      assertEquals(2, sum(scrape, "kafka_stream_tagging_dead_letters_total"), scrape);
      assertTrue(sum(scrape, "kafka_stream_tagging_model_time_total_us_total") > 0, scrape);
      assertEquals(1, sum(scrape, "kafka_stream_alive_stream_threads"), "a client metric");
      assertTrue(scrape.contains("kafka_stream_thread_poll_total"), "the stream threads'");
      assertTrue(scrape.contains("jvm_memory_used_bytes"), "the JVM's");
      assertEquals(404, get(port, "/nothing").statusCode());
    }
  }

  /**
   * While a second instance joins the group and a partition moves to it, every scrape of the first
   * instance answers at once with its metrics, and every readiness probe answers: 200, or 503 with
   * the reason while the client is not RUNNING.
   */
  @Test
  void scrapesDuringARebalanceAnswer() throws Exception {
    int first = freePort();
    int second = freePort();
    kafka.createTopics(List.of("rebal-in", "rebal-out", "rebal-err"), 2);
    try (TaggingService a = TaggingService.start(config(kafka, "rebal", first))) {
      assertTrue(a.awaitRunning(Duration.ofSeconds(60)));
      try (TaggingService b = TaggingService.start(config(kafka, "rebal", second))) {
        int scrapes = 0;
        int notReady = 0;
        int rebalancing = 0;
        assertEquals(2, activeTasks(a), "the first instance holds both partitions");
        long slowest = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
          rebalancing += a.streams().state() == KafkaStreams.State.REBALANCING ? 1 : 0;
          long start = System.nanoTime();
          HttpResponse<String> metrics = get(first, "/metrics");
          HttpResponse<String> ready = get(first, "/health/ready");
          slowest = Math.max(slowest, System.nanoTime() - start);
          scrapes++;
          assertEquals(200, metrics.statusCode());
          assertTrue(
              metrics.body().contains("kafka_stream_alive_stream_threads"),
              "client metrics, every time (scrape "
                  + scrapes
                  + ", "
                  + a.streams().state()
                  + "):\n"
                  + metrics.body());
          if (ready.statusCode() != 200) {
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().startsWith("not ready: "), ready.body());
            notReady++;
          }
          if (activeTasks(a) == 1
              && activeTasks(b) == 1
              && a.streams().state() == KafkaStreams.State.RUNNING
              && ready.statusCode() == 200) {
            break;
          }
          Thread.sleep(50);
        }
        System.out.printf(
            "status: rebalance: %d scrapes (%d while REBALANCING, %d not ready), slowest %.2f s%n",
            scrapes, rebalancing, notReady, slowest / 1e9);
        assertEquals(1, activeTasks(a), "a partition moved to the second instance");
        assertEquals(200, get(first, "/health/ready").statusCode(), "ready again after it");
        assertTrue(slowest < 4e9, "a scrape took " + slowest / 1e9 + " s");
      }
    }
  }

  private static long activeTasks(TaggingService s) {
    return s.streams().metadataForLocalThreads().stream()
        .mapToLong(t -> t.activeTasks().size())
        .sum();
  }

  @Test
  void aBrokerThatGoesAwayMakesItNotReadyWithoutAProbeHanging() throws Exception {
    int port = freePort();
    try (EmbeddedKafka own = EmbeddedKafka.start()) {
      TaggingService service = TaggingService.start(config(own, "gone", port));
      try {
        assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (get(port, "/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertEquals(200, get(port, "/health/ready").statusCode());
        own.close();
        HttpResponse<String> ready = null;
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long slowest = 0;
        while (System.nanoTime() < deadline) {
          long start = System.nanoTime();
          ready = get(port, "/health/ready");
          slowest = Math.max(slowest, System.nanoTime() - start);
          if (ready.statusCode() == 503) {
            break;
          }
          Thread.sleep(500);
        }
        System.out.printf(
            "status: broker gone: %d %s (slowest probe %.1f s)%n",
            ready.statusCode(), ready.body().strip(), slowest / 1e9);
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().startsWith("not ready: the broker does not answer"), ready.body());
        assertTrue(slowest < 4e9, "a probe took " + slowest / 1e9 + " s");
        assertEquals(200, get(port, "/health/live").statusCode(), "live: a restart would not help");
        assertTrue(get(port, "/metrics").body().contains("kafka_stream_tagging_"), "metrics still");
      } finally {
        service.close();
      }
    }
  }

  @Test
  void aPortInUseStopsTheStartWithOneLine() throws Exception {
    kafka.createTopics(List.of("busy-in", "busy-out", "busy-err"), 1);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      IOException e =
          assertThrows(IOException.class, () -> TaggingService.start(config(kafka, "busy", port)));
      assertTrue(
          e.getMessage()
              .startsWith("tagger.http.port=" + port + ": cannot listen on 127.0.0.1:" + port),
          e.getMessage());
    }
  }
}
