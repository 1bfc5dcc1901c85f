package org.streamtagger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.streamtagger.corpus.ConlluReader;
import org.streamtagger.corpus.MultiwordToken;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.tagging.inference.TaggedText;
import org.streamtagger.tagging.inference.Tagging;
import org.streamtagger.tagging.inference.TextTagger;
import org.streamtagger.tagging.tokenize.EnglishTokenizer;
import org.streamtagger.tagging.tokenize.Token;
import org.streamtagger.tagging.tokenize.TokenizationScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tagger tokenize}: shows the tokenizer's output, or scores it on a treebank. */
@Command(
    name = "tokenize",
    mixinStandardHelpOptions = true,
    description =
        "Tokenize each TEXT, or each line of standard input when there is none (one token per line"
            + " with offsets), or with --eval score the tokenizer on a"
            + " CoNLL-U file's '# text' lines against its surface tokens (precision, recall and F1"
            + " of token spans, tokens/s); --tagging adds tagging accuracy from raw text next to"
            + " tagging accuracy from gold tokens.")
final class TokenizeCommand implements Callable<Integer> {
  private static final int BATCH = 64;

  @Option(names = "--eval", paramLabel = "FILE", description = "CoNLL-U file to score on.")
  Path eval;

  @Option(names = "--tagging", description = "With --eval: also tag, from raw and gold tokens.")
  boolean tagging;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Mixin ModelOptions modelOptions;

  @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to tokenize.")
  List<String> texts = new ArrayList<>();

  private final EnglishTokenizer tokenizer = new EnglishTokenizer();

  @Override
  public Integer call() throws Exception {
    if (eval == null) {
      if (tagging || json) {
        throw new IllegalArgumentException("--tagging and --json go with --eval FILE");
      }
      if (!texts.isEmpty()) {
        texts.forEach(this::printTokens);
      } else { // like tag: one text per line of standard input, as it comes
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
          printTokens(line);
        }
      }
      return 0;
    }
    if (!texts.isEmpty()) {
      throw new IllegalArgumentException("--eval scores a file: give it no TEXT");
    }
    if (!Files.exists(eval)) {
      throw new NoSuchFileException(eval + ": no such file");
    }
    if (Files.isDirectory(eval)) {
      throw new IllegalArgumentException(eval + ": a directory, not a CoNLL-U file");
    }
    List<Sentence> sentences = ConlluReader.read(eval);
    if (sentences.stream().noneMatch(s -> s.text() != null)) {
      throw new IllegalArgumentException(
          eval
              + ": no sentence with a '# text' line to tokenize ("
              + sentences.size()
              + " sentences)");
    }
    TokenizationScore score = new TokenizationScore();
    List<String> rawTexts = new ArrayList<>();
    long tokens = 0;
    for (Sentence s : sentences) {
      if (s.text() != null) {
        List<Token> t = tokenizer.tokenize(s.text());
        score.add(s, t);
        rawTexts.add(s.text());
        tokens += t.size();
      }
    }
    double tokensPerS = speed(rawTexts, tokens);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("data", eval.toString());
    out.put("sentences", score.sentences());
    out.put("skipped_sentences", score.skippedSentences());
    out.put("gold_tokens", score.goldTokens());
    out.put("predicted_tokens", score.predictedTokens());
    out.put("matched_tokens", score.matchedTokens());
    out.put("precision", score.precision());
    out.put("recall", score.recall());
    out.put("f1", score.f1());
    out.put("tokenizer_tokens_per_s", tokensPerS);
    if (tagging) {
      try (OnnxTagger tagger = modelOptions.load()) {
        out.put("tagging", tagging(sentences, tagger));
      }
    }
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(out));
    } else {
      out.forEach((k, v) -> System.out.println(k + ": " + v));
    }
    return 0;
  }

  private void printTokens(String text) {
    for (Token token : tokenizer.tokenize(text)) {
      System.out.printf(
          Locale.ROOT,
          "%d\t%d\t%s%s%n",
          token.start(),
          token.end(),
          token.text(),
          token.words().size() > 1 ? "\t" + String.join(" ", token.words()) : "");
    }
  }

  /** Tokens per second of the tokenizer alone: median of five timed passes after a warm-up. */
  private double speed(List<String> texts, long tokensPerPass) {
    double[] rates = new double[5];
    for (int warm = 0; warm < 3; warm++) {
      texts.forEach(tokenizer::tokenize);
    }
    for (int r = 0; r < rates.length; r++) {
      long start = System.nanoTime();
      for (String t : texts) {
        tokenizer.tokenize(t);
      }
      rates[r] = tokensPerPass / ((System.nanoTime() - start) / 1e9);
    }
    java.util.Arrays.sort(rates);
    return rates[rates.length / 2];
  }

  /** Tagging accuracy from gold tokens and from raw text aligned to gold tokens by spans. */
  private static Map<String, Object> tagging(List<Sentence> sentences, OnnxTagger tagger) {
    TagColumn column = TagColumn.parse(tagger.model().tagColumn());
    long words = 0;
    long goldCorrect = 0;
    long rawCorrect = 0;
    TextTagger textTagger = new TextTagger(tagger);
    List<Sentence> usable = new ArrayList<>();
    for (Sentence s : sentences) {
      if (s.text() != null && TokenizationScore.goldSpans(s) != null) {
        usable.add(s);
      }
    }
    for (int i = 0; i < usable.size(); i += BATCH) {
      List<Sentence> chunk = usable.subList(i, Math.min(usable.size(), i + BATCH));
      List<List<String>> forms = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      for (Sentence s : chunk) {
        forms.add(s.forms());
        texts.add(s.text());
      }
      List<Tagging> fromGold = tagger.tag(forms);
      List<TaggedText> fromRaw = textTagger.tagAll(texts);
      for (int k = 0; k < chunk.size(); k++) {
        Sentence s = chunk.get(k);
        List<String> gold = s.tags(column);
        words += gold.size();
        for (int w = 0; w < gold.size(); w++) {
          goldCorrect += gold.get(w).equals(fromGold.get(k).tags().get(w)) ? 1 : 0;
        }
        rawCorrect += alignedCorrect(s, gold, fromRaw.get(k));
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("column", column.name());
    m.put("sentences", usable.size());
    m.put("words", words);
    m.put("accuracy_gold_tokens", (double) goldCorrect / words);
    m.put("accuracy_raw_text", (double) rawCorrect / words);
    return m;
  }

  /**
   * Gold words tagged right from raw text: a gold surface token counts when a predicted token has
   * its exact span and as many words; its words are then compared in order.
   */
  private static long alignedCorrect(Sentence s, List<String> gold, TaggedText raw) {
    Map<Long, List<TaggedText.Word>> predictedBySpan = new HashMap<>();
    List<List<TaggedText.Word>> byToken = new ArrayList<>();
    for (TaggedText.Word w : raw.words()) {
      while (byToken.size() <= w.token()) {
        byToken.add(new ArrayList<>());
      }
      byToken.get(w.token()).add(w);
    }
    for (List<TaggedText.Word> token : byToken) {
      if (!token.isEmpty()) {
        long key = ((long) token.get(0).start() << 32) | token.get(token.size() - 1).end();
        predictedBySpan.put(key, token);
      }
    }
    List<int[]> spans = TokenizationScore.goldSpans(s);
    long correct = 0;
    int word = 0;
    int m = 0;
    for (int[] span : spans) {
      MultiwordToken mwt =
          m < s.multiwordTokens().size() && s.multiwordTokens().get(m).first() == word + 1
              ? s.multiwordTokens().get(m++)
              : null;
      int count = mwt == null ? 1 : mwt.last() - mwt.first() + 1;
      List<TaggedText.Word> predicted = predictedBySpan.get(((long) span[0] << 32) | span[1]);
      if (predicted != null && predicted.size() == count) {
        for (int j = 0; j < count; j++) {
          correct += gold.get(word + j).equals(predicted.get(j).tag()) ? 1 : 0;
        }
      }
      word += count;
    }
    return correct;
  }
}
