package org.streamtagger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.streamtagger.avro.TaggedSentence;
import org.streamtagger.avro.TaggedToken;
import org.streamtagger.avro.TaggingError;
import org.streamtagger.corpus.ConlluWriter;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.serde.RecordFormat;
import org.streamtagger.processor.serde.SentenceCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tagger consume}: prints what the processor wrote (tagged sentences and dead letters, in
 * Avro single-object encoding or JSON), decoded, so that nobody needs Avro tooling to read them.
 */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description =
        "Print the records of a topic the processor writes, decoded: tagged sentences as"
            + " word/TAG lines (--format text), JSON lines or CoNLL-U, dead letters with their"
            + " kind, reason and origin. Connects as the processor does (--config FILE, then"
            + " TAGGER_* variables, e.g. TAGGER_BOOTSTRAP_SERVERS). Reads without a consumer"
            + " group: nothing is committed. Runs until Ctrl-C, --max records or --timeout.")
final class ConsumeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How records are printed. */
  enum Format {
    text,
    json,
    conllu
  }

  @Option(names = "--topic", required = true, description = "The topic to read.")
  String topic;

  @Option(names = "--from-beginning", description = "Start at the oldest record (else: new ones).")
  boolean fromBeginning;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N records (0: no limit).")
  int max;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Stop when no record came for this long (0: wait forever).")
  int timeoutSeconds;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text, json or conllu (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--config", paramLabel = "FILE", description = "The processor's properties file.")
  Path config;

  private final SentenceCodec json =
      new SentenceCodec(RecordFormat.AUTO, RecordFormat.JSON, List.of());

  @Override
  public Integer call() throws Exception {
    if (max < 0 || timeoutSeconds < 0) {
      throw new IllegalArgumentException("--max and --timeout must be >= 0");
    }
    ProcessorConfig c = ProcessorConfig.load(config, System.getenv());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c.plainConsumer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(15));
      if (partitions == null || partitions.isEmpty()) {
        throw new IllegalArgumentException(
            "topic " + topic + " does not exist at " + c.get("bootstrap.servers"));
      }
      List<TopicPartition> assigned = new ArrayList<>();
      partitions.forEach(p -> assigned.add(new TopicPartition(topic, p.partition())));
      consumer.assign(assigned);
      if (fromBeginning) {
        consumer.seekToBeginning(assigned);
      } else {
        consumer.seekToEnd(assigned);
      }
      int printed = 0;
      long lastRecord = System.nanoTime();
      while (max == 0 || printed < max) {
        var records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          print(r);
          lastRecord = System.nanoTime();
          if (++printed == max) {
            break;
          }
        }
        if (timeoutSeconds > 0
            && System.nanoTime() - lastRecord > Duration.ofSeconds(timeoutSeconds).toNanos()) {
          break;
        }
      }
    }
    return 0;
  }

  private void print(ConsumerRecord<byte[], byte[]> r) throws Exception {
    String where = r.topic() + "-" + r.partition() + "@" + r.offset();
    Object decoded = decode(r.value());
    if (decoded instanceof TaggedSentence t) {
      switch (format) {
        case json -> System.out.println(new String(json.encode(t), StandardCharsets.UTF_8));
        case conllu -> System.out.print(conllu(t));
        default -> System.out.println(t.getId() + ": " + words(t));
      }
    } else if (decoded instanceof TaggingError e) {
      switch (format) {
        case json -> System.out.println(new String(json.encode(e), StandardCharsets.UTF_8));
        case conllu -> System.err.println(deadLetterLine(where, e));
        default -> System.out.println(deadLetterLine(where, e));
      }
    } else {
      String line = where + ": not a tagged sentence or dead letter (" + decoded + ")";
      if (format == Format.conllu) {
        System.err.println(line);
      } else {
        System.out.println(line);
      }
    }
  }

  private static String words(TaggedSentence t) {
    List<String> parts = new ArrayList<>();
    for (TaggedToken token : t.getTokens()) {
      parts.add(token.getWord() + "/" + token.getTag());
    }
    return String.join(" ", parts);
  }

  private static String deadLetterLine(String where, TaggingError e) {
    return "dead letter "
        + e.getTopic()
        + "-"
        + e.getPartition()
        + "@"
        + e.getOffset()
        + " "
        + e.getKind()
        + ": "
        + e.getReason()
        + (e.getSentenceId() == null ? "" : " (sentence " + e.getSentenceId() + ")")
        + " ["
        + where
        + "]";
  }

  /** A tagged sentence as CoNLL-U; words without offsets (token input) are tokens of their own. */
  private static String conllu(TaggedSentence t) {
    List<TaggedToken> tokens = t.getTokens();
    List<ConlluWriter.Word> words = new ArrayList<>(tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      TaggedToken w = tokens.get(i);
      int token = w.getToken() == null ? i : w.getToken();
      StringBuilder form = new StringBuilder();
      int last = i;
      for (int j = 0; j < tokens.size(); j++) {
        Integer other = tokens.get(j).getToken();
        if ((other == null ? j : other) == token) {
          form.append(tokens.get(j).getWord());
          last = j;
        }
      }
      Integer end = tokens.get(last).getEnd();
      Integer next = last + 1 < tokens.size() ? tokens.get(last + 1).getStart() : null;
      boolean spaceAfter = end == null || next == null || next > end;
      words.add(new ConlluWriter.Word(w.getWord(), w.getTag(), token, form.toString(), spaceAfter));
    }
    return ConlluWriter.sentence(
        List.of("sent_id = " + t.getId(), "model = " + t.getModel()),
        words,
        TagColumn.parse(t.getTagColumn()));
  }

  /** A tagged sentence, a dead letter, or a description of what the value is not. */
  private static Object decode(byte[] value) {
    if (value == null) {
      return "no value";
    }
    try {
      return SentenceCodec.decodeTagged(value);
    } catch (Exception notTagged) {
      // next
    }
    try {
      return SentenceCodec.decodeError(value);
    } catch (Exception notError) {
      // next
    }
    try {
      JsonNode node = JSON.readTree(value);
      if (node != null && node.has("kind") && node.has("reason")) {
        return fromJsonError(node);
      }
      if (node != null && node.has("tokens") && node.has("model")) {
        return fromJsonTagged(node);
      }
    } catch (Exception notJson) {
      // said below
    }
    return value.length + " bytes of something else";
  }

  private static TaggingError fromJsonError(JsonNode n) {
    return TaggingError.newBuilder()
        .setKind(org.streamtagger.avro.ErrorKind.valueOf(n.get("kind").asText()))
        .setReason(n.get("reason").asText())
        .setTopic(n.path("topic").asText())
        .setPartition(n.path("partition").asInt())
        .setOffset(n.path("offset").asLong())
        .setTimestampMs(n.path("timestamp_ms").asLong())
        .setSentenceId(n.hasNonNull("sentence_id") ? n.get("sentence_id").asText() : null)
        .build();
  }

  private static TaggedSentence fromJsonTagged(JsonNode n) {
    List<TaggedToken> tokens = new ArrayList<>();
    for (JsonNode t : n.get("tokens")) {
      tokens.add(
          new TaggedToken(
              t.get("word").asText(),
              t.get("tag").asText(),
              (float) t.path("confidence").asDouble(),
              t.hasNonNull("start") ? t.get("start").asInt() : null,
              t.hasNonNull("end") ? t.get("end").asInt() : null,
              t.hasNonNull("token") ? t.get("token").asInt() : null));
    }
    return TaggedSentence.newBuilder()
        .setId(n.path("id").asText())
        .setTokens(tokens)
        .setModel(n.path("model").asText())
        .setTagColumn(n.path("tag_column").asText("UPOS"))
        .setReceivedMs(n.path("received_ms").asLong())
        .setTaggedMs(n.path("tagged_ms").asLong())
        .build();
  }
}
