package org.streamtagger.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CoNLL-U files (https://universaldependencies.org/format.html).
 *
 * <p>Sentences are separated by blank lines; {@code #} lines are comments, of which {@code #
 * sent_id} and {@code # text} are kept. A line whose ID is a range ({@code 3-4}) is a multiword
 * token and is kept beside the words; a line whose ID is a decimal ({@code 5.1}) is an empty node
 * of the enhanced graph and is skipped. Every other line must have ten tab-separated columns and
 * the next integer ID; anything else is a {@link ConlluFormatException} naming file and line.
 */
public final class ConlluReader {
  private static final int COLUMNS = 10;

  private ConlluReader() {}

  /**
   * Reads every sentence of a UTF-8 CoNLL-U file.
   *
   * @throws java.nio.file.NoSuchFileException if the file does not exist
   * @throws ConlluFormatException for a malformed line, naming file and line
   * @throws IOException if the file cannot be read
   */
  public static List<Sentence> read(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(in, file);
    }
  }

  /**
   * Reads every sentence from a reader.
   *
   * @param source the name used in error messages
   */
  public static List<Sentence> parse(Reader reader, Path source) throws IOException {
    BufferedReader in =
        reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
    var state = new SentenceBuilder(source);
    List<Sentence> sentences = new ArrayList<>();
    int lineNo = 0;
    String line;
    while (true) {
      try {
        line = in.readLine();
      } catch (CharacterCodingException e) {
        throw new ConlluFormatException(source, lineNo + 1, "not valid UTF-8");
      }
      if (line == null) {
        break;
      }
      lineNo++;
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        state.finish(sentences, lineNo);
      } else if (line.startsWith("#")) {
        state.comment(line, lineNo);
      } else {
        state.row(line, lineNo);
      }
    }
    state.finish(sentences, lineNo + 1);
    return sentences;
  }

  /** Collects the lines of one sentence and checks them as they come. */
  private static final class SentenceBuilder {
    private final Path source;
    private final List<Word> words = new ArrayList<>();
    private final List<MultiwordToken> multiwordTokens = new ArrayList<>();
    private String sentId;
    private String text;
    private int firstLine = -1;

    SentenceBuilder(Path source) {
      this.source = source;
    }

    void comment(String line, int lineNo) throws ConlluFormatException {
      if (!words.isEmpty() || !multiwordTokens.isEmpty()) {
        throw new ConlluFormatException(
            source, lineNo, "comment inside a sentence: comments must precede its first word");
      }
      start(lineNo);
      String body = line.substring(1).strip();
      if (body.startsWith("sent_id") && body.substring(7).strip().startsWith("=")) {
        sentId = valueOf(body);
      } else if (body.startsWith("text") && body.substring(4).strip().startsWith("=")) {
        text = valueOf(body);
      }
    }

    void row(String line, int lineNo) throws ConlluFormatException {
      start(lineNo);
      String[] cols = line.split("\t", -1);
      if (cols.length != COLUMNS) {
        throw new ConlluFormatException(
            source, lineNo, "expected " + COLUMNS + " tab-separated columns, found " + cols.length);
      }
      String id = cols[0];
      if (id.indexOf('.') >= 0) {
        return; // an empty node of the enhanced graph: not a surface word
      }
      String form = cols[1];
      if (form.isEmpty()) {
        throw new ConlluFormatException(source, lineNo, "empty FORM column for ID " + id);
      }
      int dash = id.indexOf('-');
      if (dash >= 0) {
        int first = parseId(id.substring(0, dash), lineNo);
        int last = parseId(id.substring(dash + 1), lineNo);
        if (first != words.size() + 1 || last <= first) {
          throw new ConlluFormatException(
              source,
              lineNo,
              "multiword token range "
                  + id
                  + " must start at the next word ID "
                  + (words.size() + 1)
                  + " and span at least two words");
        }
        multiwordTokens.add(new MultiwordToken(first, last, form, cols[9]));
        return;
      }
      int n = parseId(id, lineNo);
      if (n != words.size() + 1) {
        throw new ConlluFormatException(
            source, lineNo, "expected word ID " + (words.size() + 1) + ", found " + id);
      }
      words.add(new Word(n, form, cols[2], cols[3], cols[4], cols[9]));
    }

    void finish(List<Sentence> out, int lineNo) throws ConlluFormatException {
      if (firstLine < 0) {
        return;
      }
      if (words.isEmpty()) {
        throw new ConlluFormatException(source, lineNo, "sentence without words");
      }
      for (MultiwordToken m : multiwordTokens) {
        if (m.last() > words.size()) {
          throw new ConlluFormatException(
              source,
              firstLine,
              "multiword token " + m.first() + "-" + m.last() + " ends past the last word");
        }
      }
      out.add(new Sentence(sentId, text, words, multiwordTokens, firstLine));
      words.clear();
      multiwordTokens.clear();
      sentId = null;
      text = null;
      firstLine = -1;
    }

    private void start(int lineNo) {
      if (firstLine < 0) {
        firstLine = lineNo;
      }
    }

    private int parseId(String s, int lineNo) throws ConlluFormatException {
      try {
        int n = Integer.parseInt(s);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below with the context
      }
      throw new ConlluFormatException(
          source, lineNo, "bad ID '" + s + "': expected a positive integer");
    }

    private static String valueOf(String body) {
      return body.substring(body.indexOf('=') + 1).strip();
    }
  }
}
