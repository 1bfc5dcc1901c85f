package org.streamtagger.tagging.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each scan of {@link Shapes} against the regular expression the tokenizer used before (safe on
 * short strings), on many random strings made of the characters that matter to it; and on the long
 * pieces that overflowed the regular expressions' stack.
 */
class ShapesTest {
  private static final Pattern URL =
      Pattern.compile(
          "(?i)(?:(?:https?|ftp)://|www\\.)[^\\s<>\"]+"
              + "|[a-z0-9.-]+\\.(?:com|org|net|edu|gov|uk|de|io)(?:/[^\\s<>\"]*)?");
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+");
  private static final Pattern NUMBER = Pattern.compile("[0-9]+(?:[.,:/][0-9]+)*");
  private static final Pattern INITIALS = Pattern.compile("(?:\\p{L}\\.)+\\p{L}?\\.?");

  private interface Scan {
    boolean matches(String text, int start, int end);
  }

  /**
   * Random strings of {@code alphabet}'s code points, after one of {@code starts} (if any), each
   * judged by both, inside a frame; and at least a few of them matching.
   */
  private static void agree(Pattern regex, Scan scan, String alphabet, String... starts) {
    int[] cps = alphabet.codePoints().toArray();
    Random random = new Random(42);
    int matched = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder sb = new StringBuilder();
      if (starts.length > 0) {
        sb.append(starts[random.nextInt(starts.length)]);
      }
      int length = random.nextInt(12);
      for (int i = 0; i < length; i++) {
        sb.appendCodePoint(cps[random.nextInt(cps.length)]);
      }
      String piece = sb.toString();
      // The scans read a range of a longer text, as the tokenizer calls them.
      String framed = "x." + piece + "/.";
      boolean expected = regex.matcher(piece).matches();
      assertEquals(expected, scan.matches(framed, 2, 2 + piece.length()), () -> "'" + piece + "'");
      matched += expected ? 1 : 0;
    }
    assertTrue(matched > 1_000, "only " + matched + " matching strings: a weak comparison");
  }

  @Test
  void numbersAsTheRegularExpression() {
    agree(NUMBER, Shapes::isNumber, "0123456789.,:/-a٣");
  }

  @Test
  void emailAddressesAsTheRegularExpression() {
    agree(EMAIL, Shapes::isEmail, "ab9@.-_%+Z/é", "", "a@", "a.b@c", "x@y.");
  }

  @Test
  void urlsAsTheRegularExpression() {
    agree(
        URL,
        Shapes::isUrl,
        "htpsfw:/.comrgnedukiWTPSCO<>\"-9ſ",
        "",
        "http://",
        "HTTPs:/",
        "www.",
        "a.co",
        "ftp:/");
    agree(URL, Shapes::isUrl, "a.comorgnetedugovukdeio/", "", "a.com", "x.io/", "b.de");
    for (String url : new String[] {"http://x", "HTTPS://a/b", "www.a", "example.com/path"}) {
      assertTrue(Shapes.isUrl(url, 0, url.length()), url);
    }
    assertFalse(Shapes.isUrl("httpſ://x", 0, 9), "only ASCII letters fold");
  }

  @Test
  void initialsAsTheRegularExpression() {
    agree(INITIALS, Shapes::isInitials, "aZé.\uD835\uDC00-1");
  }

  @Test
  void longPiecesAreJudgedWithoutRecursion() {
    String number = "1.".repeat(50_000) + "1";
    assertTrue(Shapes.isNumber(number, 0, number.length()));
    String email = "a@b" + ".c".repeat(50_000);
    assertTrue(Shapes.isEmail(email, 0, email.length()));
    String host = "a.".repeat(50_000) + "com/x";
    assertTrue(Shapes.isUrl(host, 0, host.length()));
    String initials = "a.".repeat(50_000);
    assertTrue(Shapes.isInitials(initials, 0, initials.length()));
  }
}
