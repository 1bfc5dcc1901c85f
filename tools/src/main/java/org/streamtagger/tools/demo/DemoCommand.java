package org.streamtagger.tools.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.streamtagger.avro.Sentence;
import org.streamtagger.avro.TaggedSentence;
import org.streamtagger.avro.TaggedToken;
import org.streamtagger.avro.TaggingError;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.processor.topology.TaggingService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tagger demo}: the whole product on one machine: an embedded Kafka broker, the topics, the
 * processor with the bundled model; example sentences (or standard input) produced, tagged
 * sentences printed as they arrive; everything stopped at the end.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start an embedded Kafka broker (KRaft, in this JVM), the processor with the bundled"
            + " model, send example sentences (or each line of standard input with --stdin) and"
            + " print each tagged sentence (or dead letter) as it arrives, then stop.")
public final class DemoCommand implements Callable<Integer> {
  static final List<String> EXAMPLES =
      List.of(
          "The dog ate the apple.",
          "Everybody read that book.",
          "I don't think the U.S. market will recover before 2027.",
          "Can you send the report to jane.doe@example.com by Friday?",
          "Kafka streams every sentence through the tagger in real time.");

  @Option(names = "--stdin", description = "Send each line of standard input instead.")
  boolean stdin;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for output.")
  int timeoutSeconds;

  @Option(
      names = "--http-port",
      defaultValue = "0",
      description = "Serve /health/live, /health/ready and /metrics on this port (0: off).")
  int httpPort;

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException(
          "--timeout must be at least 1 second, got " + timeoutSeconds);
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("--http-port must be 0 to 65535, got " + httpPort);
    }
    List<String> texts = stdin ? readStdin() : EXAMPLES;
    System.err.println("starting an embedded Kafka broker ...");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      System.err.println("broker up at " + kafka.bootstrapServers() + "; starting the processor");
      ProcessorConfig config =
          ProcessorConfig.load(
              null,
              Map.of(),
              Map.of(
                  "bootstrap.servers",
                  kafka.bootstrapServers(),
                  "application.id",
                  "streamtagger-demo",
                  "tagger.topics.partitions",
                  "1",
                  "tagger.http.port",
                  Integer.toString(httpPort)));
      kafka.createTopics(
          List.of(config.topics().input(), config.topics().output(), config.topics().deadLetters()),
          1);
      try (TaggingService service = TaggingService.start(config)) {
        if (!service.awaitRunning(Duration.ofSeconds(30))) {
          throw new IllegalStateException("the processor did not start within 30 s");
        }
        if (httpPort > 0) {
          System.err.println(
              "health and metrics at http://127.0.0.1:" + httpPort + "/health/ready, /metrics");
        }
        produce(kafka, config, texts);
        consume(kafka, config, texts);
      }
    }
    System.err.println("stopped");
    return 0;
  }

  private static List<String> readStdin() throws Exception {
    List<String> lines = new ArrayList<>();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static void produce(EmbeddedKafka kafka, ProcessorConfig config, List<String> texts)
      throws Exception {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      for (int i = 0; i < texts.size(); i++) {
        String id = "demo-" + (i + 1);
        byte[] value =
            SentenceCodec.encodeAvro(new Sentence(id, texts.get(i), null, "en", new HashMap<>()));
        producer
            .send(
                new ProducerRecord<>(
                    config.topics().input(), id.getBytes(StandardCharsets.UTF_8), value))
            .get(30, TimeUnit.SECONDS);
      }
    }
    System.err.println("sent " + texts.size() + " sentences to " + config.topics().input());
  }

  /** Prints every tagged sentence and every dead letter until each text has one or the other. */
  private void consume(EmbeddedKafka kafka, ProcessorConfig config, List<String> texts)
      throws Exception {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-reader");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    String deadLetters = config.topics().deadLetters();
    int tagged = 0;
    int dead = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(config.topics().output(), deadLetters));
      while (tagged + dead < texts.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.topic().equals(deadLetters)) {
            System.out.println(deadLetterLine(SentenceCodec.decodeError(r.value()), texts));
            dead++;
          } else {
            System.out.println(taggedLine(SentenceCodec.decodeTagged(r.value())));
            tagged++;
          }
        }
      }
    }
    System.err.println(tagged + " tagged, " + dead + " dead letters (topic " + deadLetters + ")");
    if (tagged + dead < texts.size()) {
      throw new IllegalStateException(
          "only "
              + (tagged + dead)
              + " of "
              + texts.size()
              + " sentences came back (tagged or dead-lettered) in "
              + timeoutSeconds
              + " s");
    }
  }

  private static String taggedLine(TaggedSentence t) {
    StringBuilder line = new StringBuilder(t.getId()).append(':');
    for (TaggedToken token : t.getTokens()) {
      line.append(' ').append(token.getWord()).append('/').append(token.getTag());
    }
    return line.toString();
  }

  /** The dead letter's kind and reason, with the start of the line that was sent. */
  private static String deadLetterLine(TaggingError e, List<String> texts) {
    // Offsets of the single input partition follow the order the lines were sent in.
    String text = e.getOffset() < texts.size() ? texts.get((int) e.getOffset()) : "";
    String start = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    // A record refused before decoding has no sentence id; the demo keys each record by its id.
    String id =
        e.getSentenceId() != null
            ? e.getSentenceId()
            : e.getKey() != null
                ? StandardCharsets.UTF_8.decode(e.getKey().duplicate()).toString()
                : "offset " + e.getOffset();
    return id
        + ": dead letter "
        + e.getKind()
        + ": "
        + e.getReason()
        + " (line "
        + (e.getOffset() + 1)
        + ": \""
        + start
        + "\")";
  }
}
