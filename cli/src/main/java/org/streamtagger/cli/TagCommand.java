package org.streamtagger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.streamtagger.corpus.ConlluReader;
import org.streamtagger.corpus.ConlluWriter;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.tagging.inference.TaggedText;
import org.streamtagger.tagging.inference.Tagging;
import org.streamtagger.tagging.inference.TextTagger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tagger tag}: tags text given as arguments, or each line of standard input. */
@Command(
    name = "tag",
    mixinStandardHelpOptions = true,
    description =
        "Tokenize and tag text: each TEXT argument, or each line of standard input when there is"
            + " none. Prints word/TAG per token (--format text), one JSON object per text (json),"
            + " or CoNLL-U (conllu). With --input conllu, tags the words of CoNLL-U files (each"
            + " FILE, or standard input) as they are, and writes the same sentences, comments and"
            + " ids with the predicted tags.")
final class TagCommand implements Callable<Integer> {
  private static final int BATCH = 64;

  /** What the output looks like. */
  enum Format {
    text,
    json,
    conllu
  }

  /** What the input is. */
  enum Input {
    text,
    conllu
  }

  @Mixin ModelOptions modelOptions;

  @Option(
      names = "--format",
      description = "text (word/TAG), json, or conllu (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  Format format;

  @Option(names = "--json", description = "Same as --format json.")
  boolean json;

  @Option(
      names = "--input",
      description =
          "text (raw text, tokenized here) or conllu (gold words) (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  Input input;

  @Option(names = "--split", description = "Split each text into sentences; one line each.")
  boolean split;

  @Parameters(
      paramLabel = "TEXT",
      arity = "0..*",
      description = "Texts to tag (with --input conllu: CoNLL-U files).")
  List<String> texts = new ArrayList<>();

  private int sentences;

  @Override
  public Integer call() throws Exception {
    if (json) {
      format = Format.json;
    }
    if (input == Input.conllu && format != Format.conllu && format != Format.text) {
      throw new IllegalArgumentException(
          "--input conllu writes CoNLL-U: --format " + format + " goes with text input");
    }
    try (OnnxTagger tagger = modelOptions.load()) {
      if (input == Input.conllu) {
        tagConllu(tagger);
        return 0;
      }
      TextTagger textTagger = new TextTagger(tagger);
      TagColumn column = TagColumn.parse(tagger.model().tagColumn());
      if (!texts.isEmpty()) {
        for (String t : texts) {
          tagAndPrint(textTagger, t, column);
        }
        return 0;
      }
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        tagAndPrint(textTagger, line, column);
      }
    }
    return 0;
  }

  private void tagAndPrint(TextTagger tagger, String text, TagColumn column) throws Exception {
    if (split) {
      for (TaggedText sentence : tagger.tagSentences(text)) {
        print(sentence, text, column);
      }
    } else {
      print(tagger.tag(text), text, column);
    }
  }

  /** Prints a tagged text (or sentence) of {@code whole}, the text its offsets point into. */
  private void print(TaggedText tagged, String whole, TagColumn column) throws Exception {
    switch (format) {
      case json -> System.out.println(new ObjectMapper().writeValueAsString(asMap(tagged)));
      case conllu -> System.out.print(conllu(tagged, whole, column, ++sentences));
      default -> {
        List<String> parts = new ArrayList<>();
        for (TaggedText.Word w : tagged.words()) {
          parts.add(w.word() + "/" + w.tag());
        }
        System.out.println(String.join(" ", parts));
      }
    }
  }

  private static Map<String, Object> asMap(TaggedText tagged) {
    List<Map<String, Object>> tokens = new ArrayList<>();
    for (TaggedText.Word w : tagged.words()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("word", w.word());
      m.put("tag", w.tag());
      m.put("confidence", w.confidence());
      m.put("start", w.start());
      m.put("end", w.end());
      tokens.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("text", tagged.text());
    out.put("tokens", tokens);
    return out;
  }

  /**
   * A tagged text as a CoNLL-U sentence: its words, its contractions as multiword tokens; {@code
   * text} is the text the words' offsets point into.
   */
  static String conllu(TaggedText tagged, String text, TagColumn column, int sentId) {
    List<TaggedText.Word> words = tagged.words();
    if (words.isEmpty()) {
      return "";
    }
    int offset = words.get(0).start();
    List<ConlluWriter.Word> out = new ArrayList<>(words.size());
    for (int i = 0; i < words.size(); i++) {
      TaggedText.Word w = words.get(i);
      int tokenStart = w.start();
      int tokenEnd = w.end();
      for (TaggedText.Word o : words) {
        if (o.token() == w.token()) {
          tokenStart = Math.min(tokenStart, o.start());
          tokenEnd = Math.max(tokenEnd, o.end());
        }
      }
      boolean spaceAfter =
          tokenEnd < text.length() && Character.isWhitespace(text.charAt(tokenEnd));
      out.add(
          new ConlluWriter.Word(
              w.word(), w.tag(), w.token(), text.substring(tokenStart, tokenEnd), spaceAfter));
    }
    int end = words.get(words.size() - 1).end();
    return ConlluWriter.sentence(
        List.of("sent_id = " + sentId, "text = " + text.substring(offset, end)), out, column);
  }

  /** Tags the words of CoNLL-U input as they are; every other line is kept as it was. */
  private void tagConllu(OnnxTagger tagger) throws IOException {
    List<Path> files = texts.stream().map(Path::of).toList();
    if (files.isEmpty()) {
      String stdin = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
      tagConllu(tagger, stdin, Path.of("<standard input>"));
      return;
    }
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new NoSuchFileException(f + ": no such CoNLL-U file");
      }
      tagConllu(tagger, Files.readString(f), f);
    }
  }

  private void tagConllu(OnnxTagger tagger, String content, Path source) throws IOException {
    int sentenceCount = ConlluReader.parse(new StringReader(content), source).size(); // checks
    if (sentenceCount == 0) {
      throw new IllegalArgumentException(source + ": no sentences");
    }
    int column = TagColumn.parse(tagger.model().tagColumn()) == TagColumn.UPOS ? 3 : 4;
    List<List<String>> block = new ArrayList<>(); // one sentence's lines, split in columns
    List<List<List<String>>> pending = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    for (String line : content.lines().toList()) {
      if (line.isBlank()) {
        if (!block.isEmpty()) {
          pending.add(block);
          block = new ArrayList<>();
          if (pending.size() == BATCH) {
            flush(tagger, pending, column, out);
          }
        }
        continue;
      }
      block.add(List.of(line.split("\t", -1)));
    }
    if (!block.isEmpty()) {
      pending.add(block);
    }
    flush(tagger, pending, column, out);
    System.out.print(out);
  }

  /** Tags the sentences waiting, in one model call, and writes them. */
  private static void flush(
      OnnxTagger tagger, List<List<List<String>>> pending, int column, StringBuilder out) {
    List<List<String>> forms = new ArrayList<>();
    for (List<List<String>> sentence : pending) {
      List<String> words = new ArrayList<>();
      for (List<String> cols : sentence) {
        if (isWord(cols)) {
          words.add(cols.get(1));
        }
      }
      forms.add(words);
    }
    List<Tagging> tags = tagger.tag(forms);
    for (int s = 0; s < pending.size(); s++) {
      int w = 0;
      for (List<String> cols : pending.get(s)) {
        if (isWord(cols)) {
          List<String> tagged = new ArrayList<>(cols);
          tagged.set(column, tags.get(s).tags().get(w++));
          out.append(String.join("\t", tagged)).append('\n');
        } else {
          out.append(String.join("\t", cols)).append('\n');
        }
      }
      out.append('\n');
    }
    pending.clear();
  }

  /** A word line: an integer id (not a range, not an empty node, not a comment). */
  private static boolean isWord(List<String> cols) {
    return cols.size() == 10 && !cols.get(0).startsWith("#") && cols.get(0).matches("[0-9]+");
  }

  static String percent(double v) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }
}
