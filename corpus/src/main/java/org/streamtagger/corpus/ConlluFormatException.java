package org.streamtagger.corpus;

import java.io.IOException;
import java.nio.file.Path;

/** A CoNLL-U file that breaks the format; the message names the file and the line. */
public final class ConlluFormatException extends IOException {
  private final Path file;
  private final int line;

  public ConlluFormatException(Path file, int line, String problem) {
    super(file + ":" + line + ": " + problem);
    this.file = file;
    this.line = line;
  }

  /** The file that holds the bad line. */
  public Path file() {
    return file;
  }

  /** 1-based number of the bad line. */
  public int line() {
    return line;
  }
}
