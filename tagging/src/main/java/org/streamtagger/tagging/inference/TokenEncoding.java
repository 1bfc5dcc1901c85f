package org.streamtagger.tagging.inference;

/**
 * How tokens become model input, shared by every engine so they all see the same thing: the
 * characters a model reads are the token's code points, a token longer than {@code maxWordChars}
 * keeps its first {@code ceil(max/2)} and last {@code floor(max/2)} code points, and text that
 * cannot travel as UTF-8 (unpaired surrogates) or would end a C string (NUL) is replaced by U+FFFD
 * first.
 */
public final class TokenEncoding {
  public static final int REPLACEMENT = 0xFFFD;

  private TokenEncoding() {}

  /** The token with unpaired surrogates and NUL replaced by U+FFFD (unchanged if clean). */
  public static String sanitize(String token) {
    boolean clean = true;
    for (int i = 0; i < token.length() && clean; i++) {
      char c = token.charAt(i);
      clean = c != 0 && !Character.isSurrogate(c);
    }
    if (clean) {
      return token;
    }
    StringBuilder sb = new StringBuilder(token.length());
    token
        .codePoints()
        .forEach(
            cp -> sb.appendCodePoint(cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) ? REPLACEMENT : cp));
    return sb.toString();
  }

  /** The code points the model reads for a (sanitized) token. */
  public static int[] codePoints(String token, int maxWordChars) {
    int[] cps = token.codePoints().toArray();
    if (maxWordChars <= 0 || cps.length <= maxWordChars) {
      return cps;
    }
    int head = (maxWordChars + 1) / 2;
    int tail = maxWordChars - head;
    int[] cut = new int[maxWordChars];
    System.arraycopy(cps, 0, cut, 0, head);
    System.arraycopy(cps, cps.length - tail, cut, head, tail);
    return cut;
  }
}
