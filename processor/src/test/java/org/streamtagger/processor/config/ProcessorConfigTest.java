package org.streamtagger.processor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.processor.serde.RecordFormat;
import org.streamtagger.tagging.inference.ExecutionProvider;

class ProcessorConfigTest {
  @TempDir Path dir;

  @Test
  void fileThenEnvironmentOverDefaultsWithKafkaKeysPassedThrough() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("p.properties"),
            "tagger.input.topic=in\ntagger.batch.max.records=8\nsecurity.protocol=SASL_SSL\n"
                + "sasl.jaas.config=secret stuff\n");
    ProcessorConfig c =
        ProcessorConfig.load(
            file,
            Map.of(
                "TAGGER_BATCH_MAX_RECORDS", "16",
                "TAGGER_BOOTSTRAP_SERVERS", "b:9092",
                "TAGGER_EXECUTION_PROVIDER", "cuda",
                "HOME", "/root"));
    assertEquals("in", c.topics().input());
    assertEquals("tagged-sentences", c.topics().output());
    assertEquals(16, c.batching().maxRecords());
    assertEquals(ExecutionProvider.CUDA, c.inference().provider());
    assertEquals(RecordFormat.AUTO, c.inputFormat());
    assertEquals("b:9092", c.kafka().getProperty("bootstrap.servers"));
    assertEquals("SASL_SSL", c.kafka().getProperty("security.protocol"));
    assertEquals(null, c.kafka().getProperty("tagger.input.topic"));
    // Latency defaults that differ from Kafka Streams' own.
    assertEquals("1", c.kafka().getProperty("producer.linger.ms"));
    assertEquals("1", c.kafka().getProperty("poll.ms"));
    assertEquals("true", c.kafka().getProperty("processing.exception.handler.global.enabled"));
    assertEquals(20, c.batching().maxWaitMs());
    assertEquals(1, c.batching().quietMs());
    assertEquals(1.0, c.batching().busyShare());
    assertEquals(0, c.batching().behindMs());
    assertEquals("****", c.printable().get("sasl.jaas.config"));
    assertEquals("1000", c.printable().get("tagger.max.tokens"));
  }

  @Test
  void unknownOwnKeysAndBadValuesAreNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.properties"), "tagger.batch.size=3\n");
    var e =
        assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.load(file, Map.of()));
    assertTrue(e.getMessage().contains("unknown key 'tagger.batch.size'"), e.getMessage());
    assertRefused(
        "TAGGER_BATCH_MAX_WAIT_MS", "soon", "tagger.batch.max.wait.ms must be a positive");
    assertRefused("TAGGER_BATCH_BUSY_SHARE", "70%", "tagger.batch.busy.share must be a number in");
    assertRefused("TAGGER_BATCH_BEHIND_MS", "-5", "tagger.batch.behind.ms must be an integer of 0");
    assertRefused("TAGGER_OUTPUT_FORMAT", "xml", "unknown record format 'xml'");
    assertRefused(
        "TAGGER_BATCH_QUIET_WHEN_FETCHED", "yes", "tagger.batch.quiet.when.fetched must be true");
    assertRefused("TAGGER_TOPICS_CREATE", "1", "tagger.topics.create must be true or false");
    assertFalse(
        ProcessorConfig.load(null, Map.of("TAGGER_BATCH_QUIET_WHEN_FETCHED", "FALSE"))
            .batching()
            .quietWhenFetched());
    assertThrows(
        NoSuchFileException.class, () -> ProcessorConfig.load(dir.resolve("none"), Map.of()));
  }

  /** A bad value from the environment is refused, by the time its setting is read, by name. */
  private static void assertRefused(String variable, String value, String message) {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProcessorConfig.load(null, Map.of(variable, value)).batching());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
