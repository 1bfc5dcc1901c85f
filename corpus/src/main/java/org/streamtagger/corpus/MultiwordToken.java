package org.streamtagger.corpus;

/**
 * A surface token that the treebank splits into several words (a CoNLL-U range line such as {@code
 * 3-4 don't}).
 *
 * @param first ID of the first word it covers
 * @param last ID of the last word it covers
 * @param form the surface form as written in the text
 * @param misc MISC column, "_" when absent
 */
public record MultiwordToken(int first, int last, String form, String misc) {}
