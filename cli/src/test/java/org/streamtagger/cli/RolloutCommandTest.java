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

/**
 * {@code tagger rollout} and {@code tagger retrain --publish}: what they write on the control
 * topic, and what they refuse.
 */
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
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
      var cli = TaggerCli.commandLine();
      cli.setErr(new PrintWriter(err, true));
      int code = cli.execute(args);
      return new Run(
          code,
          captured.toString(StandardCharsets.UTF_8),
          err + progress.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(stderr);
    }
  }

  @Test
  void announcesTheModelWithItsNameVersionAndSha256() throws Exception {
    Run r =
        run(
            "rollout",
            "--model",
            FAST.toString(),
            "--model-version",
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

  /** A toy treebank whose tags follow from the words. */
  private Path treebank(String name, int copies) throws Exception {
    StringBuilder sb = new StringBuilder();
    String[][] sentences = {
      {"the/DET", "dog/NOUN", "runs/VERB", "./PUNCT"},
      {"a/DET", "cat/NOUN", "sleeps/VERB", "./PUNCT"},
      {"the/DET", "big/ADJ", "cat/NOUN", "runs/VERB", "fast/ADV", "./PUNCT"}
    };
    for (int c = 0; c < copies; c++) {
      for (String[] s : sentences) {
        for (int i = 0; i < s.length; i++) {
          String[] wt = s[i].split("/");
          sb.append(i + 1).append('\t').append(wt[0]).append("\t_\t").append(wt[1]);
          sb.append("\t_\t_\t_\t_\t_\t_\n");
        }
        sb.append('\n');
      }
    }
    return Files.writeString(dir.resolve(name), sb);
  }

  private List<ModelAnnouncement> announcements(String topic) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<ModelAnnouncement> out = new java.util.ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      TopicPartition p = new TopicPartition(topic, 0);
      consumer.assign(List.of(p));
      consumer.seekToBeginning(List.of(p));
      long end = consumer.endOffsets(List.of(p)).get(p);
      while (consumer.position(p) < end) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(r -> out.add(ModelAnnouncement.parse(r.value())));
      }
    }
    return out;
  }

  @Test
  void retrainPublishesWhatTheGateAcceptsOnly() throws Exception {
    kafka.createTopics(List.of("ctl-retrain"), 1);
    Path train = treebank("train.conllu", 4);
    Path dev = treebank("dev.conllu", 1);
    String config = config("ctl-retrain").toString();
    String[] common = {
      "retrain",
      "--train",
      train.toString(),
      "--dev",
      dev.toString(),
      "--preset",
      "ewt",
      "--epochs",
      "2",
      "--patience",
      "0",
      "--config",
      config,
      "--publish"
    };
    Path first = dir.resolve("first");
    Run accepted =
        run(
            concat(
                common, "--out", first.toString(), "--gate-margin", "100", "--model-version", "5"));
    assertEquals(0, accepted.code(), accepted.err());
    assertEquals(first.resolve("model.onnx").toString(), accepted.out().strip());
    List<ModelAnnouncement> a = announcements("ctl-retrain");
    assertEquals(1, a.size());
    assertEquals("ewt-upos:5", a.get(0).label());
    assertEquals(
        OnnxTagger.sha256Of(Files.readAllBytes(first.resolve("model.onnx"))), a.get(0).sha256());

    Run refused =
        run(
            concat(
                common,
                "--out",
                dir.resolve("second").toString(),
                "--baseline",
                first.resolve("model.onnx").toString(),
                "--gate-margin",
                "-100"));
    assertEquals(4, refused.code(), refused.err());
    assertTrue(refused.err().contains("retrain: REFUSED: candidate dev"), refused.err());
    assertEquals(1, announcements("ctl-retrain").size(), "nothing announced");

    Path broken = Files.writeString(dir.resolve("broken.conllu"), "1\tThe\n\n");
    Run bad =
        run(
            "retrain",
            "--train",
            broken.toString(),
            "--dev",
            dev.toString(),
            "--out",
            dir.resolve("third").toString());
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("error: " + broken + ":1: "), bad.err());
    assertTrue(!Files.exists(dir.resolve("third/member-1")));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
