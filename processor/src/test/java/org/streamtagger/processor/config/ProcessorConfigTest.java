package org.streamtagger.processor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

  private Path file(String text) throws IOException {
    return Files.writeString(dir.resolve("p.properties"), text);
  }

  private String refusal(Path file, Map<String, String> env) {
    return assertThrows(IllegalArgumentException.class, () -> ProcessorConfig.load(file, env))
        .getMessage();
  }

  @Test
  void fileThenEnvironmentOverDefaultsWithKafkaKeysPassedThrough() throws Exception {
    Path file =
        file(
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
    assertEquals(1, c.inference().intraOpThreads());
    assertEquals(RecordFormat.AUTO, c.inputFormat());
    assertEquals("b:9092", c.kafka().getProperty("bootstrap.servers"));
    assertEquals("SASL_SSL", c.kafka().getProperty("security.protocol"));
    assertNull(c.kafka().getProperty("tagger.input.topic"));
    assertNull(c.modelPath());
    // Latency defaults that differ from Kafka Streams' own.
    assertEquals("1", c.kafka().getProperty("producer.linger.ms"));
    assertEquals("1", c.kafka().getProperty("poll.ms"));
    assertEquals("true", c.kafka().getProperty("processing.exception.handler.global.enabled"));
    assertEquals(20, c.batching().maxWaitMs());
    assertEquals(1, c.batching().quietMs());
    assertTrue(c.batching().quietWhenFetched());
    assertEquals(1000, c.maxTokens());
    assertEquals(1_048_576, c.producerMaxRequestSize());
  }

  @Test
  void failoverDefaultsAndACommitIntervalThatBoundsAtLeastOnceReplays() throws Exception {
    ProcessorConfig alos = ProcessorConfig.load(null, Map.of());
    assertEquals("6000", alos.kafka().getProperty("session.timeout.ms"));
    assertEquals("1500", alos.kafka().getProperty("heartbeat.interval.ms"));
    assertEquals("3000", alos.kafka().getProperty("transaction.timeout.ms"));
    assertEquals("1000", alos.kafka().getProperty("commit.interval.ms"));
    assertTrue(alos.printable().contains("commit.interval.ms=1000 (default (at_least_once))"));
    // Under exactly_once_v2 Kafka Streams' own 100 ms stays: outputs are visible at commits.
    ProcessorConfig eos =
        ProcessorConfig.load(null, Map.of("TAGGER_PROCESSING_GUARANTEE", "exactly_once_v2"));
    assertNull(eos.kafka().getProperty("commit.interval.ms"));
    ProcessorConfig given =
        ProcessorConfig.load(
            null,
            Map.of("TAGGER_COMMIT_INTERVAL_MS", "5000", "TAGGER_SESSION_TIMEOUT_MS", "45000"));
    assertEquals("5000", given.kafka().getProperty("commit.interval.ms"));
    assertEquals("45000", given.kafka().getProperty("session.timeout.ms"));
  }

  @Test
  void theResolvedConfigurationSaysWhereEachValueCameFromAndMasksSecrets() throws Exception {
    Path file =
        file(
            "# a comment\n\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                + " required \\\n    username=\"u\" password=\"hunter2\";\n"
                + "ssl.truststore.password=changeit\nproducer.ssl.key.password=k3y\n");
    String printed = ProcessorConfig.load(file, Map.of("TAGGER_INPUT_TOPIC", "in")).printable();
    assertTrue(printed.contains("sasl.jaas.config=**** (" + file + ":3)"), printed);
    assertTrue(printed.contains("ssl.truststore.password=**** (" + file + ":5)"), printed);
    assertTrue(printed.contains("producer.ssl.key.password=**** (" + file + ":6)"), printed);
    assertTrue(printed.contains("tagger.input.topic=in (TAGGER_INPUT_TOPIC)"), printed);
    assertTrue(printed.contains("tagger.max.tokens=1000 (default)"), printed);
    assertFalse(
        printed.contains("hunter2") || printed.contains("changeit") || printed.contains("k3y"));
  }

  @Test
  void anUnknownKeyInTheFileNamesItsLineAndTheKeyMeant() throws Exception {
    Path file = file("tagger.input.topic=in\n\ntagger.batch.max.record=3\n");
    assertEquals(
        file + ":3: unknown key 'tagger.batch.max.record'; did you mean tagger.batch.max.records?",
        refusal(file, Map.of()));
    assertEquals(
        file + ":1: unknown key 'tagger.colour'", refusal(file("tagger.colour=blue\n"), Map.of()));
  }

  @Test
  void anUnknownVariableNamesTheVariableMeant() {
    assertEquals(
        "TAGGER_INPUT_TOPICS: sets no setting (neither tagger.input.topics nor the Kafka setting"
            + " input.topics); did you mean TAGGER_INPUT_TOPIC?",
        refusal(null, Map.of("TAGGER_INPUT_TOPICS", "x")));
    assertEquals(
        "TAGGER_PROCESSING_GUARANTE: sets no setting (neither tagger.processing.guarante nor the"
            + " Kafka setting processing.guarante); did you mean TAGGER_PROCESSING_GUARANTEE?",
        refusal(null, Map.of("TAGGER_PROCESSING_GUARANTE", "exactly_once_v2")));
    // The launcher's and the tools' own variables are not settings.
    ProcessorConfig c =
        assertDoesNotThrow(
            Map.of("TAGGER_DEBUG", "1", "TAGGER_DATA", "/d", "TAGGER_JAVA_OPTS", "-Xmx1g"));
    assertEquals("streamtagger", c.kafka().getProperty("application.id"));
  }

  private static ProcessorConfig assertDoesNotThrow(Map<String, String> env) {
    try {
      return ProcessorConfig.load(null, env);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aMistypedKafkaKeyIsRefusedWithTheKeyMeant() throws Exception {
    assertEquals(
        dir.resolve("p.properties")
            + ":1: 'procesing.guarantee' is not a setting of Kafka Streams or of the clients it"
            + " creates; did you mean processing.guarantee?",
        refusal(file("procesing.guarantee=exactly_once_v2\n"), Map.of()));
    assertTrue(
        refusal(file("producer.linger.mss=5\n"), Map.of())
            .endsWith("did you mean producer.linger.ms?"));
    assertTrue(
        refusal(file("main.consumer.max.pol.records=5\n"), Map.of())
            .endsWith("did you mean main.consumer.max.poll.records?"));
    // Prefixed client keys, topic settings and client tags are Kafka's too.
    ProcessorConfig c =
        ProcessorConfig.load(
            file(
                "producer.linger.ms=5\nmain.consumer.max.poll.records=100\nadmin.retries=3\n"
                    + "topic.min.insync.replicas=2\nclient.tag.zone=eu-1\nssl.endpoint.identification.algorithm=\n"),
            Map.of());
    assertEquals("2", c.kafka().getProperty("topic.min.insync.replicas"));
  }

  @Test
  void aBadValueIsRefusedByKeyWithItsOrigin() throws Exception {
    assertEquals(
        "TAGGER_NUM_STREAM_THREADS: num.stream.threads=-2: must be at least 1",
        refusal(null, Map.of("TAGGER_NUM_STREAM_THREADS", "-2")));
    assertEquals(
        "TAGGER_INTRA_OP_THREADS: tagger.intra.op.threads=abc: not a number of type INT",
        refusal(null, Map.of("TAGGER_INTRA_OP_THREADS", "abc")));
    assertTrue(
        refusal(null, Map.of("TAGGER_PROCESSING_GUARANTEE", "maybe"))
            .startsWith(
                "TAGGER_PROCESSING_GUARANTEE: processing.guarantee=maybe: string must be one of"),
        refusal(null, Map.of("TAGGER_PROCESSING_GUARANTEE", "maybe")));
    String format = refusal(file("\ntagger.output.format=xml\n"), Map.of());
    assertTrue(
        format.startsWith(
            dir.resolve("p.properties")
                + ":2: tagger.output.format=xml: string must be one of (case insensitive): "),
        format);
    assertTrue(format.contains("AVRO") && format.contains("JSON"), format);
    assertEquals(
        "TAGGER_TOPICS_CREATE: tagger.topics.create=1: expected value to be either true or false",
        refusal(null, Map.of("TAGGER_TOPICS_CREATE", "1")));
    assertEquals(
        "TAGGER_BATCH_MAX_WAIT_MS: tagger.batch.max.wait.ms=0: value must be at least 1",
        refusal(null, Map.of("TAGGER_BATCH_MAX_WAIT_MS", "0")));
    assertTrue(
        refusal(null, Map.of("TAGGER_INPUT_TOPIC", "no spaces"))
            .startsWith("TAGGER_INPUT_TOPIC: tagger.input.topic=no spaces: "));
    assertEquals(
        "TAGGER_MAX_RECORD_BYTES: tagger.max.record.bytes=1048576: leaves no room in a producer"
            + " request of max.request.size=1048576 bytes for the record's origin: at most 1047808",
        refusal(null, Map.of("TAGGER_MAX_RECORD_BYTES", "1048576")));
    assertFalse(
        ProcessorConfig.load(null, Map.of("TAGGER_BATCH_QUIET_WHEN_FETCHED", "FALSE"))
            .batching()
            .quietWhenFetched());
  }

  @Test
  void aFileThatIsNotAPropertiesFileIsSaidSo() throws Exception {
    Path binary = Files.write(dir.resolve("b.properties"), new byte[] {1, 2, 0, (byte) 0xFF});
    IOException e = assertThrows(IOException.class, () -> ProcessorConfig.load(binary, Map.of()));
    assertTrue(e.getMessage().startsWith(binary + ": not a properties file"), e.getMessage());
    Path latin1 = Files.write(dir.resolve("l.properties"), new byte[] {'a', '=', (byte) 0xE9});
    e = assertThrows(IOException.class, () -> ProcessorConfig.load(latin1, Map.of()));
    assertEquals(latin1 + ": not a properties file (not UTF-8 text)", e.getMessage());
    assertThrows(
        NoSuchFileException.class, () -> ProcessorConfig.load(dir.resolve("none"), Map.of()));
  }
}
