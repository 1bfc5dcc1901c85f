package org.streamtagger.processor.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A Java properties file read with the line of each entry, so that an error can name it. Each
 * logical line (continuation lines joined) is parsed by {@link Properties} itself, so escapes and
 * separators mean what they always do; the file must be UTF-8 text.
 */
final class PropertiesFile {
  /** One entry and the line it starts on (1-based). */
  record Entry(String key, String value, int line) {}

  private PropertiesFile() {}

  /**
   * The entries of {@code file}, in order.
   *
   * @throws IOException if it cannot be read, or is not a text file
   */
  static List<Entry> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file + ": no such configuration file");
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": not a file");
    }
    String text = text(file, Files.readAllBytes(file));
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1); // a byte order mark
    }
    List<String> lines = text.lines().toList();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      int first = i;
      StringBuilder logical = new StringBuilder(lines.get(i));
      while (continues(lines.get(i)) && i + 1 < lines.size()) {
        logical.append('\n').append(lines.get(++i));
      }
      String trimmed = logical.toString().stripLeading();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
        continue;
      }
      Properties p = new Properties();
      p.load(new StringReader(logical.toString()));
      for (String key : p.stringPropertyNames()) {
        entries.add(new Entry(key, p.getProperty(key), first + 1));
      }
    }
    return entries;
  }

  /** A line ending in an odd number of backslashes continues on the next. */
  private static boolean continues(String line) {
    int n = 0;
    for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
      n++;
    }
    return n % 2 == 1;
  }

  private static String text(Path file, byte[] bytes) throws IOException {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new IOException(
            file + ": not a properties file (a binary file: a NUL byte at " + i + ")");
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not a properties file (not UTF-8 text)", e);
    }
  }
}
