package org.streamtagger.corpus;

/**
 * One syntactic word of a CoNLL-U sentence (a line whose ID is an integer).
 *
 * @param id 1-based position in the sentence
 * @param form the word form (FORM column), never empty
 * @param lemma LEMMA column, "_" when absent
 * @param upos universal part-of-speech tag (UPOS column), "_" when absent
 * @param xpos language-specific tag (XPOS column), "_" when absent
 * @param misc MISC column (e.g. {@code SpaceAfter=No}), "_" when absent
 */
public record Word(int id, String form, String lemma, String upos, String xpos, String misc) {

  /** The value of the given tag column for this word. */
  public String tag(TagColumn column) {
    return column == TagColumn.UPOS ? upos : xpos;
  }
}
