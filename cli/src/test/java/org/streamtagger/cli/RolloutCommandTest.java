package org.streamtagger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.processor.rollout.ModelAnnouncement;
import org.streamtagger.tagging.inference.OnnxTagger;

/** {@code tagger rollout}: what it writes on the control topic, and what it refuses. */
class RolloutCommandTest {
  private static final Path FAST = Path.of("..", "models", "ewt-upos-fast.onnx");
  private static EmbeddedKafka kafka;
  @TempDir Path dir;

  @BeforeAll
  static void broker() throws Exception {
    kafka = EmbeddedKafka.start();
    kafka.createTopics(List.of("ctl"), 1);
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private Path config(String topic) throws Exception {
    return Files.writeString(
        dir.resolve("c.properties"),
        "bootstrap.servers="
            + kafka.bootstrapServers()
            + "\ntagger.model.control.topic="
            + topic
            + "\n");
  }

  /** Exit code, standard output and standard error of one command line. */
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      var cli = TaggerCli.commandLine();
      cli.setErr(new PrintWriter(err, true));
      int code = cli.execute(args);
      return new Run(code, captured.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(out);
    }
  }

  @Test
  void announcesTheModelWithItsNameVersionAndSha256() throws Exception {
    Run r =
        run(
            "rollout",
            "--model",
            FAST.toString(),
            "--version",
            "9",
            "--config",
            config("ctl").toString());
    assertEquals(0, r.code(), r.err());
    String sha = OnnxTagger.sha256Of(Files.readAllBytes(FAST));
    System.out.print("rollout: " + r.out());
    assertTrue(
        r.out().startsWith("announced ewt-upos-fast:9 (sha256 " + sha + ") at ctl-0@"), r.out());

    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      TopicPartition p = new TopicPartition("ctl", 0);
      consumer.assign(List.of(p));
      consumer.seekToBeginning(List.of(p));
      ConsumerRecord<byte[], byte[]> record = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (record == null && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> x : consumer.poll(Duration.ofMillis(200))) {
          record = x;
        }
      }
      ModelAnnouncement a = ModelAnnouncement.parse(record.value());
      assertEquals("ewt-upos-fast", a.name());
      assertEquals("9", a.version());
      assertEquals(sha, a.sha256());
      assertEquals(FAST.toAbsolutePath().normalize().toUri().toString(), a.location());
      assertEquals("ewt-upos-fast", new String(record.key(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void refusesAFileThatIsNotAModelAndATopicThatIsNotThere() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.onnx"), "not a model");
    Run notModel = run("rollout", "--model", text.toString(), "--config", config("ctl").toString());
    assertEquals(1, notModel.code());
    assertTrue(
        notModel.err().startsWith("error: " + text + ": not a usable ONNX model"), notModel.err());

    Run missing =
        run(
            "rollout",
            "--model",
            dir.resolve("none.onnx").toString(),
            "--config",
            config("ctl").toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("none.onnx: no such model file"), missing.err());

    long start = System.nanoTime();
    Run noTopic =
        run(
            "rollout",
            "--model",
            FAST.toString(),
            "--config",
            config("no-such-control").toString());
    assertEquals(1, noTopic.code());
    assertTrue(noTopic.err().startsWith("error: announcing on no-such-control at "), noTopic.err());
    System.out.printf(
        "rollout: no control topic: exit 1 after %.1f s: %s%n",
        (System.nanoTime() - start) / 1e9, noTopic.err().lines().findFirst().orElse(""));
  }
}
