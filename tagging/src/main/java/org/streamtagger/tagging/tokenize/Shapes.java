package org.streamtagger.tagging.tokenize;

import java.util.Locale;
import java.util.Set;

/**
 * The shapes of pieces the tokenizer keeps whole: numbers, e-mail addresses, URLs and runs of
 * initials. Each is a single left-to-right scan of {@code text[start, end)}, so that a piece of any
 * length is judged in linear time with constant stack. (Regular expressions did this before, but
 * Java's engine recurses once per repetition of a group: an 8 KB {@code 1.1.1...} overflowed the
 * stack.) {@code ShapesTest} checks each scan against the regular expression it replaces.
 */
final class Shapes {
  private static final Set<String> URL_DOMAINS =
      Set.of("com", "org", "net", "edu", "gov", "uk", "de", "io");
  private static final int LONGEST_DOMAIN = 3;

  private Shapes() {}

  /** Digits in groups separated by one {@code . , : /} each: {@code 1,000.50}, {@code 10:30}. */
  static boolean isNumber(String text, int start, int end) {
    int i = start;
    while (true) {
      int digits = i;
      while (i < end && isAsciiDigit(text.charAt(i))) {
        i++;
      }
      if (i == digits) {
        return false; // a group without digits
      }
      if (i == end) {
        return true;
      }
      char c = text.charAt(i);
      if (c != '.' && c != ',' && c != ':' && c != '/') {
        return false;
      }
      i++;
    }
  }

  /**
   * {@code local@label.label...}: a local part of letters, digits and {@code . _ % + -}, and at
   * least two domain labels of letters, digits and hyphens, one dot between each two.
   */
  static boolean isEmail(String text, int start, int end) {
    int at = start;
    while (at < end && isEmailLocal(text.charAt(at))) {
      at++;
    }
    if (at == start || at == end || text.charAt(at) != '@') {
      return false;
    }
    int labels = 0;
    int i = at + 1;
    while (true) {
      int label = i;
      while (i < end && isDomainChar(text.charAt(i))) {
        i++;
      }
      if (i == label) {
        return false; // an empty label
      }
      labels++;
      if (i == end) {
        return labels >= 2;
      }
      if (text.charAt(i) != '.') {
        return false;
      }
      i++;
    }
  }

  /**
   * A URL: {@code http://}, {@code https://}, {@code ftp://} or {@code www.} (any case) and at
   * least one more character; or a host name of letters, digits, dots and hyphens that ends in one
   * of a few common domains ({@code example.com}), optionally followed by a path. Neither may
   * contain {@code < > "}.
   */
  static boolean isUrl(String text, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c == '<' || c == '>' || c == '"') {
        return false;
      }
    }
    for (String prefix : new String[] {"http://", "https://", "ftp://", "www."}) {
      if (end - start > prefix.length() && startsWithIgnoringAsciiCase(text, start, prefix)) {
        return true;
      }
    }
    int host = start;
    while (host < end && text.charAt(host) != '/') {
      if (!isHostChar(text.charAt(host))) {
        return false;
      }
      host++;
    }
    // The host ends in ".domain", with at least one character before the dot.
    int dot = text.lastIndexOf('.', host - 1);
    if (dot <= start || dot < host - 1 - LONGEST_DOMAIN) {
      return false;
    }
    return URL_DOMAINS.contains(text.substring(dot + 1, host).toLowerCase(Locale.ROOT));
  }

  /**
   * Initials: one or more letters each followed by a period, then optionally one more letter and
   * optionally one more period ({@code U.S.}, {@code e.g}, {@code Ph.D.}).
   */
  static boolean isInitials(String text, int start, int end) {
    int i = start;
    int pairs = 0;
    while (i < end && Character.isLetter(text.codePointAt(i))) {
      int next = i + Character.charCount(text.codePointAt(i));
      if (next >= end || text.charAt(next) != '.') {
        break;
      }
      i = next + 1;
      pairs++;
    }
    if (pairs == 0) {
      return false;
    }
    if (i < end && Character.isLetter(text.codePointAt(i))) {
      i += Character.charCount(text.codePointAt(i));
    }
    if (i < end && text.charAt(i) == '.') {
      i++;
    }
    return i == end;
  }

  /** Only ASCII letters fold: {@code ſ} (long s) is not an {@code s} in a URL scheme. */
  private static boolean startsWithIgnoringAsciiCase(String text, int start, String lowerPrefix) {
    for (int k = 0; k < lowerPrefix.length(); k++) {
      char c = text.charAt(start + k);
      char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
      if (lower != lowerPrefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return isAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isEmailLocal(char c) {
    return isAsciiLetterOrDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  private static boolean isDomainChar(char c) {
    return isAsciiLetterOrDigit(c) || c == '-';
  }

  private static boolean isHostChar(char c) {
    return isAsciiLetterOrDigit(c) || c == '.' || c == '-';
  }
}
