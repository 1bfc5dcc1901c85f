package org.streamtagger.processor.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.streamtagger.avro.Sentence;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.processor.topology.TaggingService;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The end-to-end scenario against Apache Kafka's own image in a container. Runs where Docker is
 * available; elsewhere JUnit reports it skipped ("disabledWithoutDocker"), and the same scenario
 * runs on the in-JVM broker (EmbeddedBrokerTest).
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerBrokerTest {
  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

  @Test
  void sentencesAreTaggedThroughAContainerizedBroker() throws Exception {
    String bootstrap = KAFKA.getBootstrapServers();
    List<String> topics = List.of("c-in", "c-out", "c-err");
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(topics.stream().map(t -> new NewTopic(t, 2, (short) 1)).toList())
          .all()
          .get();
      EmbeddedKafka.awaitLeaders(admin, topics, 2, Duration.ofSeconds(30));
    }
    Map<String, String> env = new HashMap<>();
    env.put("TAGGER_BOOTSTRAP_SERVERS", bootstrap);
    env.put("TAGGER_APPLICATION_ID", "container-test");
    env.put("TAGGER_INPUT_TOPIC", "c-in");
    env.put("TAGGER_OUTPUT_TOPIC", "c-out");
    env.put("TAGGER_ERROR_TOPIC", "c-err");
    try (TaggingService service = TaggingService.start(ProcessorConfig.load(null, env));
        StreamHarness h = new StreamHarness(bootstrap);
        var out = h.consumer("c-out", "c-reader")) {
      Set<String> sent = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        h.send(
            "c-in",
            "k" + i % 3,
            SentenceCodec.encodeAvro(
                new Sentence("c" + i, "The dog ate the apple.", null, null, new HashMap<>())));
        sent.add("c" + i);
      }
      Set<String> received = new HashSet<>();
      for (var r : StreamHarness.readUntil(out, rs -> rs.size() >= 20, Duration.ofSeconds(90))) {
        received.add(SentenceCodec.decodeTagged(r.value()).getId());
      }
      assertEquals(sent, received);
    }
  }
}
