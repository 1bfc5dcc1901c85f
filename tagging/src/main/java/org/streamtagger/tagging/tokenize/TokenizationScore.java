package org.streamtagger.tagging.tokenize;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.streamtagger.corpus.MultiwordToken;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.Word;

/**
 * Tokenization against a treebank's own: each sentence's {@code # text} is tokenized and the
 * predicted token spans are compared with the gold surface tokens' spans (multiword tokens as one
 * span).
 */
public final class TokenizationScore {
  private long gold;
  private long predicted;
  private long matched;
  private long sentences;
  private long skipped;

  /** Adds a sentence; one without {@code # text}, or whose tokens do not align, is skipped. */
  public void add(Sentence sentence, List<Token> tokens) {
    List<int[]> spans = goldSpans(sentence);
    if (spans == null) {
      skipped++;
      return;
    }
    sentences++;
    Set<Long> goldKeys = new HashSet<>();
    for (int[] s : spans) {
      goldKeys.add(((long) s[0] << 32) | s[1]);
    }
    gold += spans.size();
    predicted += tokens.size();
    for (Token t : tokens) {
      if (goldKeys.contains(((long) t.start() << 32) | t.end())) {
        matched++;
      }
    }
  }

  /** The spans of the gold surface tokens in {@code # text}, or null if they do not align. */
  public static List<int[]> goldSpans(Sentence sentence) {
    String text = sentence.text();
    if (text == null) {
      return null;
    }
    List<String> surface = surfaceForms(sentence);
    List<int[]> spans = new ArrayList<>();
    int pos = 0;
    for (String form : surface) {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
      if (!text.startsWith(form, pos)) {
        return null;
      }
      spans.add(new int[] {pos, pos + form.length()});
      pos += form.length();
    }
    return spans;
  }

  /** Surface tokens: a multiword token's form in place of its words. */
  public static List<String> surfaceForms(Sentence sentence) {
    List<String> out = new ArrayList<>();
    List<Word> words = sentence.words();
    int m = 0;
    for (int i = 0; i < words.size(); i++) {
      MultiwordToken mwt =
          m < sentence.multiwordTokens().size() ? sentence.multiwordTokens().get(m) : null;
      if (mwt != null && mwt.first() == i + 1) {
        out.add(mwt.form());
        i = mwt.last() - 1;
        m++;
      } else {
        out.add(words.get(i).form());
      }
    }
    return out;
  }

  /** Tokens in the treebank. */
  public long goldTokens() {
    return gold;
  }

  /** Tokens the tokenizer made. */
  public long predictedTokens() {
    return predicted;
  }

  /** Tokens whose span the tokenizer got exactly right. */
  public long matchedTokens() {
    return matched;
  }

  /** Sentences scored. */
  public long sentences() {
    return sentences;
  }

  /** Sentences without a {@code # text} line, not scored. */
  public long skippedSentences() {
    return skipped;
  }

  /** Matched tokens over predicted tokens. */
  public double precision() {
    return predicted == 0 ? 0 : (double) matched / predicted;
  }

  /** Matched tokens over gold tokens. */
  public double recall() {
    return gold == 0 ? 0 : (double) matched / gold;
  }

  /** The harmonic mean of precision and recall. */
  public double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
}
