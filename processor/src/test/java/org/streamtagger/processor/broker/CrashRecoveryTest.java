package org.streamtagger.processor.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.streamtagger.avro.Sentence;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.processor.serde.SentenceCodec;

/**
 * A processor in a child JVM is killed with SIGKILL in the middle of a stream, started again, and
 * every input id must come out: exactly once under exactly_once_v2 (read_committed), at least once
 * under at_least_once.
 */
@ExtendWith(SharedBroker.class)
class CrashRecoveryTest {
  private static final int RECORDS = 400;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker(EmbeddedKafka shared) {
    kafka = shared;
  }

  /**
   * The child's temporary files go to {@code scratch}, which the test removes: ONNX Runtime unpacks
   * its native libraries (22 MB) into a temporary directory that a killed JVM leaves behind.
   */
  private static Process child(String guarantee, String prefix, Path log, Path scratch)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Djava.io.tmpdir=" + scratch,
            "-cp",
            System.getProperty("java.class.path"),
            "org.streamtagger.processor.cli.RunCommand");
    Map<String, String> env = pb.environment();
    env.put("TAGGER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("TAGGER_APPLICATION_ID", "crash-" + prefix);
    env.put("TAGGER_INPUT_TOPIC", prefix + "-in");
    env.put("TAGGER_OUTPUT_TOPIC", prefix + "-out");
    env.put("TAGGER_ERROR_TOPIC", prefix + "-err");
    env.put("TAGGER_PROCESSING_GUARANTEE", guarantee);
    env.put("TAGGER_COMMIT_INTERVAL_MS", "100");
    env.put("TAGGER_BATCH_MAX_RECORDS", "16");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb.start();
  }

  @ParameterizedTest
  @ValueSource(strings = {"exactly_once_v2", "at_least_once"})
  void aKilledProcessorLosesNothing(String guarantee, @TempDir Path scratch) throws Exception {
    String prefix = guarantee.replace('_', '-');
    kafka.createTopics(List.of(prefix + "-in", prefix + "-out", prefix + "-err"), 2);
    Path log = Files.createTempFile("crash-child", ".log");
    Set<String> sent = new HashSet<>();
    List<String> received = new ArrayList<>();
    try (StreamHarness h = new StreamHarness(kafka.bootstrapServers());
        var out = h.consumer(prefix + "-out", "crash-reader-" + prefix)) {
      Process first = child(guarantee, prefix, log, scratch);
      try {
        for (int i = 0; i < RECORDS; i++) {
          String id = "r" + i;
          h.send(
              prefix + "-in",
              "k" + (i % 7),
              SentenceCodec.encodeAvro(
                  new Sentence(id, "Record " + i + " goes through.", null, null, new HashMap<>())));
          sent.add(id);
          if (i == RECORDS / 2) {
            // Mid-stream: wait until the first outputs appear, then kill without warning.
            for (var r :
                StreamHarness.readUntil(out, rs -> !rs.isEmpty(), Duration.ofSeconds(60))) {
              received.add(SentenceCodec.decodeTagged(r.value()).getId());
            }
            first.destroyForcibly().waitFor();
          }
        }
      } finally {
        first.destroyForcibly();
      }
      Process second = child(guarantee, prefix, log, scratch);
      try {
        List<ConsumerRecord<byte[], byte[]>> rest =
            StreamHarness.readUntil(
                out,
                rs -> {
                  Set<String> ids = new HashSet<>(received);
                  for (var r : rs) {
                    try {
                      ids.add(SentenceCodec.decodeTagged(r.value()).getId());
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }
                  return ids.containsAll(sent);
                },
                Duration.ofSeconds(120));
        for (var r : rest) {
          received.add(SentenceCodec.decodeTagged(r.value()).getId());
        }
        // Anything still in flight would show up now.
        for (var r : StreamHarness.readUntil(out, rs -> false, Duration.ofSeconds(3))) {
          received.add(SentenceCodec.decodeTagged(r.value()).getId());
        }
      } finally {
        second.destroy();
        second.waitFor();
      }
    }
    Set<String> distinct = new HashSet<>(received);
    Set<String> lost = new HashSet<>(sent);
    lost.removeAll(distinct);
    System.out.printf(
        "crash test %s: sent %d, received %d (%d distinct), lost %d, duplicates %d%n",
        guarantee,
        sent.size(),
        received.size(),
        distinct.size(),
        lost.size(),
        received.size() - distinct.size());
    assertTrue(lost.isEmpty(), "lost " + lost.size() + ": " + lost + "; child log " + log);
    if (guarantee.equals("exactly_once_v2")) {
      assertEquals(sent.size(), received.size(), "exactly once: no duplicates");
    }
    // Kept only when the test fails, for its message to point at.
    Files.delete(log);
  }
}
