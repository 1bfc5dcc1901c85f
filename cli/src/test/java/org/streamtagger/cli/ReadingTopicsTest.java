package org.streamtagger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.avro.ErrorKind;
import org.streamtagger.avro.TaggedSentence;
import org.streamtagger.avro.TaggedToken;
import org.streamtagger.avro.TaggingError;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.corpus.ConlluReader;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.processor.serde.RecordFormat;
import org.streamtagger.processor.serde.SentenceCodec;

/**
 * What the processor writes, read without Avro tooling ({@code consume}), and tagging into CoNLL-U
 * ({@code tag --format conllu}, {@code --input conllu}), read back with the project's own CoNLL-U
 * reader.
 */
class ReadingTopicsTest {
  private static EmbeddedKafka kafka;
  @TempDir Path dir;

  @BeforeAll
  static void broker() throws Exception {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  /** Runs the command line with standard output (and input) of the test's own. */
  private static String run(String stdin, String... args) {
    PrintStream out = System.out;
    InputStream in = System.in;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      var cli = TaggerCli.commandLine();
      cli.setErr(new PrintWriter(err, true));
      assertEquals(0, cli.execute(args), String.join(" ", args) + ": " + err);
    } finally {
      System.setOut(out);
      System.setIn(in);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static TaggedSentence tagged() {
    List<TaggedToken> tokens =
        List.of(
            new TaggedToken("I", "PRON", 1f, 0, 1, 0),
            new TaggedToken("do", "AUX", 1f, 2, 4, 1),
            new TaggedToken("n't", "PART", 1f, 4, 7, 1),
            new TaggedToken("know", "VERB", 1f, 8, 12, 2),
            new TaggedToken(".", "PUNCT", 1f, 12, 13, 3));
    return TaggedSentence.newBuilder()
        .setId("s1")
        .setTokens(tokens)
        .setModel("m:1")
        .setReceivedMs(1)
        .setTaggedMs(2)
        .build();
  }

  private static TaggingError deadLetter() {
    return TaggingError.newBuilder()
        .setKind(ErrorKind.TOO_LARGE)
        .setReason("text has 5000 words to tag, limit 1000")
        .setTopic("sentences")
        .setPartition(1)
        .setOffset(42)
        .setTimestampMs(3)
        .setSentenceId("long")
        .build();
  }

  @Test
  void consumePrintsTaggedSentencesAndDeadLettersOfEitherFormat() throws Exception {
    kafka.createTopics(List.of("read-out"), 1);
    SentenceCodec avro = new SentenceCodec(RecordFormat.AUTO, RecordFormat.AVRO, List.of());
    SentenceCodec json = new SentenceCodec(RecordFormat.AUTO, RecordFormat.JSON, List.of());
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (byte[] v :
          List.of(
              avro.encode(tagged()),
              avro.encode(deadLetter()),
              json.encode(tagged()),
              json.encode(deadLetter()),
              "something else".getBytes(StandardCharsets.UTF_8))) {
        p.send(new ProducerRecord<>("read-out", v)).get(30, TimeUnit.SECONDS);
      }
    }
    Path config =
        Files.writeString(
            dir.resolve("c.properties"), "bootstrap.servers=" + kafka.bootstrapServers() + "\n");
    String[] common = {
      "consume",
      "--topic",
      "read-out",
      "--from-beginning",
      "--max",
      "5",
      "--config",
      config.toString()
    };
    List<String> text = run("", common).lines().toList();
    assertEquals("s1: I/PRON do/AUX n't/PART know/VERB ./PUNCT", text.get(0));
    assertEquals(
        "dead letter sentences-1@42 TOO_LARGE: text has 5000 words to tag, limit 1000 (sentence long) [read-out-0@1]",
        text.get(1));
    assertEquals(text.get(0), text.get(2), "JSON reads as Avro does");
    assertTrue(text.get(3).startsWith("dead letter sentences-1@42 TOO_LARGE"), text.get(3));
    assertTrue(
        text.get(4).startsWith("read-out-0@4: not a tagged sentence or dead letter"), text.get(4));
    System.out.println("consume --format text:\n" + String.join("\n", text));

    String conllu = run("", concat(common, "--format", "conllu"));
    System.out.println("consume --format conllu:\n" + conllu);
    List<Sentence> back = ConlluReader.parse(new StringReader(conllu), Path.of("consumed"));
    assertEquals(2, back.size());
    assertEquals(List.of("I", "do", "n't", "know", "."), back.get(0).forms());
    assertEquals("don't", back.get(0).multiwordTokens().get(0).form());
    assertEquals("AUX", back.get(0).words().get(1).upos());

    String jsonLines = run("", concat(common, "--format", "json"));
    assertEquals(5, jsonLines.lines().count());
    assertTrue(jsonLines.lines().toList().get(1).contains("\"kind\":\"TOO_LARGE\""));
  }

  @Test
  void consumeOnATopicThatDoesNotExistSaysSo() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("c.properties"), "bootstrap.servers=" + kafka.bootstrapServers() + "\n");
    var cli = TaggerCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    assertEquals(
        1, cli.execute("consume", "--topic", "no-such-topic", "--config", config.toString()));
    assertEquals(
        "error: topic no-such-topic does not exist at " + kafka.bootstrapServers(),
        err.toString().lines().findFirst().orElse(""));
  }

  @Test
  void tagWritesCoNlluThatReadsBack() throws Exception {
    String out =
        run(
            "",
            "tag",
            "--format",
            "conllu",
            "I don't think the U.S. market will recover.",
            "Hi there!");
    System.out.println("tag --format conllu:\n" + out);
    List<Sentence> back = ConlluReader.parse(new StringReader(out), Path.of("tagged"));
    assertEquals(2, back.size());
    Sentence first = back.get(0);
    assertEquals("1", first.sentId());
    assertEquals("I don't think the U.S. market will recover.", first.text());
    assertEquals(
        List.of("I", "do", "n't", "think", "the", "U.S.", "market", "will", "recover", "."),
        first.forms());
    assertEquals("don't", first.multiwordTokens().get(0).form());
    assertEquals("PART", first.words().get(2).upos());
    assertEquals(
        "SpaceAfter=No", first.words().get(8).misc(), "recover. has no space before the period");
    assertEquals("2", back.get(1).sentId());
  }

  @Test
  void tagReadsCoNlluAndKeepsItsCommentsIdsAndOtherColumns() throws Exception {
    String in =
        "# sent_id = a-1\n# text = I can't.\n# newpar\n"
            + "1\tI\tI\tX\tPRP\tCase=Nom\t3\tnsubj\t3:nsubj\t_\n"
            + "2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n"
            + "2\tca\tcan\tX\tMD\t_\t3\taux\t3:aux\t_\n"
            + "3\tn't\tnot\tX\tRB\t_\t0\troot\t0:root\t_\n"
            + "4\t.\t.\tX\t.\t_\t3\tpunct\t3:punct\t_\n\n";
    Path file = Files.writeString(dir.resolve("in.conllu"), in);
    String out = run("", "tag", "--input", "conllu", file.toString());
    List<String> lines = out.lines().toList();
    assertEquals("# sent_id = a-1", lines.get(0));
    assertEquals("# newpar", lines.get(2));
    assertEquals("1\tI\tI\tPRON\tPRP\tCase=Nom\t3\tnsubj\t3:nsubj\t_", lines.get(3));
    assertEquals("2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No", lines.get(4));
    assertTrue(lines.get(5).startsWith("2\tca\tcan\tAUX\tMD"), lines.get(5));
    assertTrue(lines.get(6).startsWith("3\tn't\tnot\tPART\tRB"), lines.get(6));
    Sentence back = ConlluReader.parse(new StringReader(out), Path.of("re-tagged")).get(0);
    assertEquals("a-1", back.sentId());
    // The same from standard input.
    assertEquals(out, run(in, "tag", "--input", "conllu"));
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
