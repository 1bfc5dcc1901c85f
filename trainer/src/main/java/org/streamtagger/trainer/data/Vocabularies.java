package org.streamtagger.trainer.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.tagging.inference.TokenEncoding;

/**
 * Everything that turns text into ids and back: words (case kept), characters (Unicode code
 * points), and tags. Characters are stored as the decimal code point, so the list survives any
 * serialisation.
 *
 * @param words word vocabulary, with {@code <unk>}
 * @param chars character vocabulary: {@code <pad>} (id 0), {@code <unk>}, then code points
 * @param tags the tag set, sorted
 * @param maxWordChars longest character sequence read per word (head and tail of longer words)
 * @param rareWords training words left out of {@code words} for being rarer than {@code min_count}:
 *     with {@code words}, they tell which words a model has seen
 */
public record Vocabularies(
    Vocabulary words, Vocabulary chars, Vocabulary tags, int maxWordChars, Set<String> rareWords) {

  public Vocabularies {
    rareWords = Set.copyOf(rareWords);
  }

  /**
   * Builds the vocabularies from training sentences.
   *
   * @param minCount words seen fewer times map to {@code <unk>}
   * @param withPad whether the word vocabulary reserves id 0 for padding (batched presets)
   */
  public static Vocabularies build(
      List<Sentence> train, TagColumn column, int minCount, boolean withPad, int maxWordChars) {
    List<String> forms = new ArrayList<>();
    List<String> codePoints = new ArrayList<>();
    TreeSet<String> tagSet = new TreeSet<>();
    for (Sentence s : train) {
      for (var w : s.words()) {
        forms.add(w.form());
        w.form().codePoints().forEach(cp -> codePoints.add(Integer.toString(cp)));
        tagSet.add(w.tag(column));
      }
    }
    List<String> wordSpecials =
        withPad ? List.of(Vocabulary.PAD, Vocabulary.UNK) : List.of(Vocabulary.UNK);
    Vocabulary words = Vocabulary.build(forms, minCount, wordSpecials);
    Set<String> rare = new HashSet<>();
    for (String f : forms) {
      if (!words.contains(f)) {
        rare.add(f);
      }
    }
    return new Vocabularies(
        words,
        Vocabulary.build(codePoints, 1, List.of(Vocabulary.PAD, Vocabulary.UNK)),
        new Vocabulary(List.copyOf(tagSet)),
        maxWordChars,
        rare);
  }

  /** Encodes words and, when given, their gold tags ({@code null} tags give all -1). */
  public EncodedSentence encode(List<String> forms, List<String> goldTags) {
    int n = forms.size();
    int[] wordIds = new int[n];
    int[][] charIds = new int[n][];
    int[] tagIds = new int[n];
    boolean[] unseen = new boolean[n];
    for (int i = 0; i < n; i++) {
      String form = TokenEncoding.sanitize(forms.get(i));
      wordIds[i] = words.id(form);
      unseen[i] = !words.contains(form) && !rareWords.contains(form);
      charIds[i] = encodeChars(form);
      tagIds[i] = goldTags == null ? -1 : tags.id(goldTags.get(i));
    }
    return new EncodedSentence(wordIds, charIds, tagIds, unseen);
  }

  /** Encodes a treebank sentence with the tags of {@code column}. */
  public EncodedSentence encode(Sentence sentence, TagColumn column) {
    return encode(sentence.forms(), sentence.tags(column));
  }

  /**
   * Character ids of a word: the code points {@link TokenEncoding} gives (head and tail of a word
   * longer than {@code maxWordChars}). An empty word reads as one {@code <unk>}.
   */
  public int[] encodeChars(String form) {
    int[] cps = TokenEncoding.codePoints(form, maxWordChars);
    if (cps.length == 0) {
      return new int[] {chars.unkId()};
    }
    int[] ids = new int[cps.length];
    for (int i = 0; i < cps.length; i++) {
      ids[i] = chars.id(Integer.toString(cps[i]));
    }
    return ids;
  }
}
