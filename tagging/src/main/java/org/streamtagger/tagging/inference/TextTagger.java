package org.streamtagger.tagging.inference;

import java.util.ArrayList;
import java.util.List;
import org.streamtagger.tagging.tokenize.EnglishTokenizer;
import org.streamtagger.tagging.tokenize.SentenceSplitter;
import org.streamtagger.tagging.tokenize.Token;

/**
 * Raw text in, tagged words out: the tokenizer splits each text, contractions become their words,
 * and all texts of a call go to the model in one batch. Texts without tokens (empty or whitespace
 * only) get an empty result without a model call. As safe to call from many threads as the tagger
 * it wraps ({@link OnnxTagger} is).
 */
public final class TextTagger {
  private final SentenceTagger tagger;
  private final EnglishTokenizer tokenizer = new EnglishTokenizer();
  private final SentenceSplitter splitter = new SentenceSplitter();

  /** Tags with {@code tagger} (e.g. {@link OnnxTagger#bundled}), tokenizing with UD's rules. */
  public TextTagger(SentenceTagger tagger) {
    this.tagger = tagger;
  }

  /**
   * Splits a text that may hold several sentences and tags each; offsets stay relative to the whole
   * text.
   */
  public List<TaggedText> tagSentences(String text) {
    List<Token> tokens = tokenizer.tokenize(text);
    List<List<Token>> sentences = splitter.split(text, tokens);
    List<String> pieces = new ArrayList<>();
    for (List<Token> s : sentences) {
      pieces.add(text.substring(s.get(0).start(), s.get(s.size() - 1).end()));
    }
    List<TaggedText> out = new ArrayList<>();
    List<List<String>> batch = new ArrayList<>();
    for (List<Token> s : sentences) {
      List<String> words = new ArrayList<>();
      for (Token t : s) {
        words.addAll(t.words());
      }
      batch.add(words);
    }
    List<Tagging> taggings = batch.isEmpty() ? List.of() : tagger.tag(batch);
    for (int i = 0; i < sentences.size(); i++) {
      out.add(assemble(pieces.get(i), sentences.get(i), taggings.get(i)));
    }
    return out;
  }

  /** Tags one text. */
  public TaggedText tag(String text) {
    return tagAll(List.of(text)).get(0);
  }

  /** Tags many texts with one model call. */
  public List<TaggedText> tagAll(List<String> texts) {
    List<TokenizedText> tokenized = new ArrayList<>(texts.size());
    for (String text : texts) {
      tokenized.add(tokenize(text));
    }
    return tagTokenized(tokenized);
  }

  /** The text's tokens, without tagging it (linear in the text's length). */
  public TokenizedText tokenize(String text) {
    return new TokenizedText(text, tokenizer.tokenize(text));
  }

  /** Tags texts already tokenized ({@link #tokenize}) with one model call. */
  public List<TaggedText> tagTokenized(List<TokenizedText> texts) {
    return tagTokenized(tagger, texts);
  }

  /** Tags texts already tokenized with one call of the given model. */
  public static List<TaggedText> tagTokenized(SentenceTagger tagger, List<TokenizedText> texts) {
    List<List<String>> batch = new ArrayList<>();
    for (TokenizedText text : texts) {
      if (!text.tokens().isEmpty()) {
        batch.add(text.words());
      }
    }
    List<Tagging> taggings = batch.isEmpty() ? List.of() : tagger.tag(batch);
    List<TaggedText> out = new ArrayList<>(texts.size());
    int next = 0;
    for (TokenizedText text : texts) {
      if (text.tokens().isEmpty()) {
        out.add(new TaggedText(text.text(), List.of()));
      } else {
        out.add(assemble(text.text(), text.tokens(), taggings.get(next++)));
      }
    }
    return out;
  }

  private static TaggedText assemble(String text, List<Token> tokens, Tagging tagging) {
    List<TaggedText.Word> words = new ArrayList<>();
    int w = 0;
    for (int t = 0; t < tokens.size(); t++) {
      Token token = tokens.get(t);
      int offset = token.start();
      for (String word : token.words()) {
        words.add(
            new TaggedText.Word(
                word,
                tagging.tags().get(w),
                tagging.confidence()[w],
                offset,
                offset + word.length(),
                t));
        offset += word.length();
        w++;
      }
    }
    return new TaggedText(text, words);
  }
}
