package org.streamtagger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.tagging.inference.TaggedText;
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
            + " none. Prints word/TAG per token, or one JSON object per text with --json.")
final class TagCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;

  @Option(names = "--json", description = "One JSON object per text.")
  boolean json;

  @Option(names = "--split", description = "Split each text into sentences; one line each.")
  boolean split;

  @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to tag.")
  List<String> texts = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    try (OnnxTagger tagger = modelOptions.load()) {
      TextTagger textTagger = new TextTagger(tagger);
      if (!texts.isEmpty()) {
        for (String t : texts) {
          tagAndPrint(textTagger, t);
        }
        return 0;
      }
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        tagAndPrint(textTagger, line);
      }
    }
    return 0;
  }

  private void tagAndPrint(TextTagger tagger, String text) throws Exception {
    if (split) {
      for (TaggedText sentence : tagger.tagSentences(text)) {
        print(sentence);
      }
    } else {
      print(tagger.tag(text));
    }
  }

  private void print(TaggedText tagged) throws Exception {
    if (json) {
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
      System.out.println(new ObjectMapper().writeValueAsString(out));
    } else {
      List<String> parts = new ArrayList<>();
      for (TaggedText.Word w : tagged.words()) {
        parts.add(w.word() + "/" + w.tag());
      }
      System.out.println(String.join(" ", parts));
    }
  }

  static String percent(double v) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }
}
