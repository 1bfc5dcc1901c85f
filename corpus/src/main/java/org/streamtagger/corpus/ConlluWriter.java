package org.streamtagger.corpus;

import java.util.List;

/**
 * Writes tagged sentences as CoNLL-U (https://universaldependencies.org/format.html), which UD's
 * tools and {@link ConlluReader} read: comment lines, then one line per word, its tag in the UPOS
 * or XPOS column and {@code _} in the columns a tagger does not fill; the words of one surface
 * token (a contraction) behind a multiword-token line; {@code SpaceAfter=No} where no space
 * followed the token in the text.
 */
public final class ConlluWriter {
  private ConlluWriter() {}

  /**
   * A word to write.
   *
   * @param form the word as tagged
   * @param tag its tag
   * @param token index of the surface token it belongs to (words of a contraction share one)
   * @param tokenForm the surface token's characters
   * @param spaceAfter whether a space followed the token in the text
   */
  public record Word(String form, String tag, int token, String tokenForm, boolean spaceAfter) {}

  /**
   * One sentence, with a blank line after it.
   *
   * @param comments comment lines without their {@code #} (e.g. {@code sent_id = 1})
   */
  public static String sentence(List<String> comments, List<Word> words, TagColumn column) {
    StringBuilder sb = new StringBuilder();
    for (String c : comments) {
      sb.append("# ").append(oneLine(c)).append('\n');
    }
    int i = 0;
    while (i < words.size()) {
      int j = i;
      while (j + 1 < words.size() && words.get(j + 1).token() == words.get(i).token()) {
        j++;
      }
      Word first = words.get(i);
      String misc = first.spaceAfter() ? "_" : "SpaceAfter=No";
      if (j > i) {
        sb.append(i + 1).append('-').append(j + 1).append('\t').append(field(first.tokenForm()));
        sb.append("\t_\t_\t_\t_\t_\t_\t_\t").append(misc).append('\n');
      }
      for (int k = i; k <= j; k++) {
        Word w = words.get(k);
        String upos = column == TagColumn.UPOS ? field(w.tag()) : "_";
        String xpos = column == TagColumn.XPOS ? field(w.tag()) : "_";
        sb.append(k + 1).append('\t').append(field(w.form())).append("\t_\t").append(upos);
        sb.append('\t')
            .append(xpos)
            .append("\t_\t_\t_\t_\t")
            .append(j > i ? "_" : misc)
            .append('\n');
      }
      i = j + 1;
    }
    return sb.append('\n').toString();
  }

  /** A column value: no tabs or line breaks, never empty. */
  private static String field(String s) {
    String v = s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    return v.isEmpty() ? "_" : v;
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }
}
