package org.streamtagger.tagging.tokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits English text into tokens the way Universal Dependencies' English treebanks do: words and
 * punctuation apart ({@code "(see below)."} is five tokens), hyphenated words split at the hyphen
 * except after common prefixes ({@code co-worker} stays), a currency sign apart from its amount,
 * runs of terminal punctuation ({@code ?!}, {@code ...}) as one token; but abbreviations ({@code
 * U.S.}, {@code Mr.}, {@code e.g.}), numbers ({@code 1,000.50}, {@code 10:30}), e-mail addresses,
 * URLs and emoticons whole. Clitics stay inside their surface token, which lists the words it
 * stands for ({@code don't} → {@code do}, {@code n't}; {@code Bush's} → {@code Bush}, {@code 's}),
 * as CoNLL-U multiword tokens do.
 *
 * <p>Offsets are UTF-16 indices into the input and always valid; any input, however strange
 * (control characters, astral-plane symbols, right-to-left scripts, a 100,000-character line
 * without spaces), yields tokens without exceptions, in linear time. The tokenizer is stateless and
 * thread-safe.
 */
public final class EnglishTokenizer {
  private static final Set<String> EMOTICONS =
      Set.of(":)", ":-)", ":(", ":-(", ";)", ";-)", ":D", ":-D", ":P", ":-P", ":/", "<3", ":o");
  private static final Set<String> ABBREVIATIONS =
      Set.of(
          "mr.", "mrs.", "ms.", "dr.", "prof.", "sr.", "jr.", "st.", "vs.", "etc.", "inc.", "ltd.",
          "co.", "corp.", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.",
          "oct.", "nov.", "dec.", "mon.", "tue.", "wed.", "thu.", "fri.", "sat.", "sun.", "no.",
          "vol.", "approx.", "dept.", "est.", "fig.", "gen.", "gov.", "mt.", "ft.", "lb.", "oz.",
          "min.", "max.", "misc.", "p.m.", "a.m.", "e.g.", "i.e.", "u.s.", "u.k.", "ave.", "blvd.",
          "rd.", "hwy.", "pp.", "ph.d.", "cf.", "al.", "op.", "govt.", "assn.", "bros.", "capt.",
          "col.", "lt.", "sgt.", "rev.", "hon.", "univ.", "ext.", "tel.");
  private static final Set<String> HYPHEN_PREFIXES =
      Set.of(
          "co", "pre", "post", "non", "re", "e", "anti", "pro", "ex", "multi", "semi", "sub",
          "inter", "mid", "over", "under", "un", "de", "bi", "tri", "x", "t", "a", "mis");
  private static final String OPENING = "([{\"'`“‘«";
  private static final String CLOSING = ")]}\"'”’»";

  /** Tokens of {@code text}, in order, with offsets into it. */
  public List<Token> tokenize(String text) {
    List<Token> out = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && isSpace(text, i)) {
        i += Character.charCount(text.codePointAt(i));
      }
      int start = i;
      while (i < n && !isSpace(text, i)) {
        i += Character.charCount(text.codePointAt(i));
      }
      if (i > start) {
        chunk(text, start, i, out);
      }
    }
    return out;
  }

  private static boolean isSpace(String text, int i) {
    int cp = text.codePointAt(i);
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  /** Splits one whitespace-delimited chunk {@code [start, end)}. */
  private void chunk(String text, int start, int end, List<Token> out) {
    if (end - start <= 3 && EMOTICONS.contains(text.substring(start, end))) {
      out.add(Token.of(text, start, end));
      return;
    }
    // Leading opening punctuation, one char each.
    while (start < end && OPENING.indexOf(text.charAt(start)) >= 0 && end - start > 1) {
      out.add(Token.of(text, start, start + 1));
      start++;
    }
    // Trailing punctuation, collected right to left (and reversed below).
    List<Token> trailing = new ArrayList<>();
    while (end - start > 1) {
      char c = text.charAt(end - 1);
      if (CLOSING.indexOf(c) >= 0 || c == ',' || c == ';' || c == ':') {
        if (c == '\'' && isPossessivePlural(text, start, end)) {
          break;
        }
        trailing.add(Token.of(text, end - 1, end));
        end--;
      } else if (c == '.' || c == '!' || c == '?') {
        int runStart = end - 1;
        while (runStart > start && ".!?".indexOf(text.charAt(runStart - 1)) >= 0) {
          runStart--;
        }
        if (runStart == start) {
          break; // the chunk is only punctuation: handled below
        }
        if (end - runStart == 1 && c == '.' && keepsItsPeriod(text, start, end)) {
          break;
        }
        trailing.add(Token.of(text, runStart, end));
        end = runStart;
      } else {
        break;
      }
    }
    if (end > start) {
      core(text, start, end, out);
    }
    for (int k = trailing.size() - 1; k >= 0; k--) {
      out.add(trailing.get(k));
    }
  }

  /** {@code students'}: an apostrophe that ends a plural possessive. */
  private static boolean isPossessivePlural(String text, int start, int end) {
    return end - start > 2 && Character.toLowerCase(text.charAt(end - 2)) == 's';
  }

  private static boolean keepsItsPeriod(String text, int start, int end) {
    if (end - start > 8) {
      return false; // no abbreviation or run of initials is that long
    }
    String word = text.substring(start, end);
    String lower = word.toLowerCase(Locale.ROOT);
    return ABBREVIATIONS.contains(lower)
        || Shapes.isInitials(word, 0, word.length())
        || (word.length() == 2 && Character.isUpperCase(word.charAt(0)));
  }

  /** The inside of a chunk: whole if it is a URL, address, number; else split at punctuation. */
  private void core(String text, int start, int end, List<Token> out) {
    if (isWhole(text, start, end)) {
      out.add(Token.of(text, start, end));
      return;
    }
    int pieceStart = start;
    int i = start;
    while (i < end) {
      int cp = text.codePointAt(i);
      int len = Character.charCount(cp);
      if (splitsHere(text, start, end, i, cp)) {
        if (i > pieceStart) {
          word(text, pieceStart, i, out);
        }
        int j = i + len;
        // Runs of the same punctuation stay together (--, ..., !!).
        while (j < end && text.codePointAt(j) == cp && !Character.isLetterOrDigit(cp)) {
          j += Character.charCount(cp);
        }
        out.add(Token.of(text, i, j));
        pieceStart = j;
        i = j;
      } else {
        i += len;
      }
    }
    if (pieceStart < end) {
      word(text, pieceStart, end, out);
    }
  }

  /**
   * Whether the piece is a URL, e-mail address, number or emoticon (cheap character checks first,
   * so that ordinary words never reach a regular expression).
   */
  private static boolean isWhole(String text, int start, int end) {
    boolean dot = false;
    boolean at = false;
    boolean digitsAndSeparators = true;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      dot |= c == '.';
      at |= c == '@';
      digitsAndSeparators &= Character.isDigit(c) || c == '.' || c == ',' || c == ':' || c == '/';
    }
    if (digitsAndSeparators) {
      return Shapes.isNumber(text, start, end);
    }
    if (at && Shapes.isEmail(text, start, end)) {
      return true;
    }
    if (dot && Shapes.isUrl(text, start, end)) {
      return true;
    }
    return end - start <= 3 && EMOTICONS.contains(text.substring(start, end));
  }

  /** Whether the char at {@code i} is punctuation to split off inside a chunk. */
  private static boolean splitsHere(String text, int start, int end, int i, int cp) {
    switch (cp) {
      case '(',
          ')',
          '[',
          ']',
          '{',
          '}',
          '"',
          '“',
          '”',
          ';',
          '!',
          '?',
          '…',
          '*',
          '|',
          '<',
          '>',
          '=' -> {
        return true;
      }
      case '$', '€', '£' -> {
        return i == start && i + 1 < end;
      }
      case '#' -> {
        return i == start && i + 1 < end && Character.isDigit(text.charAt(i + 1));
      }
      case '%' -> {
        return i > start;
      }
      case '/' -> {
        return i > start && i + 1 < end && Character.isLetter(text.charAt(i - 1));
      }
      case ',', ':' -> {
        boolean digitsAround =
            i > start
                && i + 1 < end
                && Character.isDigit(text.charAt(i - 1))
                && Character.isDigit(text.charAt(i + 1));
        return !digitsAround;
      }
      case '-' -> {
        if (i == start || i + 1 >= end) {
          return true;
        }
        if (text.charAt(i + 1) == '-') {
          return true;
        }
        char before = text.charAt(i - 1);
        char after = text.charAt(i + 1);
        if (!Character.isLetterOrDigit(before) || !Character.isLetterOrDigit(after)) {
          return false;
        }
        if (!Character.isLetter(before) && !Character.isLetter(after)) {
          return false; // phone numbers, codes, dates: 713-853-3989
        }
        int from = i;
        while (from > start && i - from < 8 && Character.isLetter(text.charAt(from - 1))) {
          from--;
        }
        return !HYPHEN_PREFIXES.contains(text.substring(from, i).toLowerCase(Locale.ROOT));
      }
      case '.' -> {
        // "..." inside a chunk, or a sentence end glued to the next word ("end.Next").
        return i + 1 < end && text.charAt(i + 1) == '.';
      }
      default -> {
        return false;
      }
    }
  }

  /** A word-like piece: one token, split into words at a clitic when it has one. */
  private static void word(String text, int start, int end, List<Token> out) {
    String w = text.substring(start, end);
    int split = cliticStart(w);
    if (split <= 0) {
      out.add(new Token(w, start, end, List.of(w)));
    } else {
      out.add(new Token(w, start, end, List.of(w.substring(0, split), w.substring(split))));
    }
  }

  /** Where a clitic begins in {@code w} ({@code n't}, {@code 's}, {@code 're}, ...), or -1. */
  static int cliticStart(String w) {
    if (w.indexOf('\'') < 0 && w.indexOf('’') < 0 && !w.equalsIgnoreCase("cannot")) {
      return -1;
    }
    String lower = w.toLowerCase(Locale.ROOT).replace('’', '\'');
    int n = lower.length();
    if (n > 3 && lower.endsWith("n't")) {
      if (lower.equals("can't")) {
        return 2; // ca n't
      }
      return n - 3;
    }
    if (lower.equals("cannot")) {
      return 3;
    }
    for (String c : new String[] {"'s", "'re", "'ve", "'ll", "'d", "'m"}) {
      if (n > c.length()
          && lower.endsWith(c)
          && Character.isLetter(lower.charAt(n - c.length() - 1))) {
        return n - c.length();
      }
    }
    return -1;
  }
}
