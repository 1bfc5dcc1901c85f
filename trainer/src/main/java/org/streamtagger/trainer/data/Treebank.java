package org.streamtagger.trainer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.streamtagger.corpus.ConlluReader;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.corpus.Word;

/** Loads a CoNLL-U file for training or evaluation, refusing files that cannot serve. */
public final class Treebank {
  private Treebank() {}

  /**
   * Reads a file as {@link #load} does and encodes it with a model's vocabularies.
   *
   * @throws DataException as {@link #load} does
   */
  public static List<EncodedSentence> loadEncoded(
      Path file, TagColumn column, Vocabularies vocabularies) throws DataException {
    List<EncodedSentence> out = new java.util.ArrayList<>();
    for (Sentence s : load(file, column)) {
      out.add(vocabularies.encode(s, column));
    }
    return out;
  }

  /**
   * Reads a file whose tag column must be filled in.
   *
   * @throws DataException if the file is missing, unreadable, malformed, empty, or has a word whose
   *     tag in {@code column} is {@code _}
   */
  public static List<Sentence> load(Path file, TagColumn column) throws DataException {
    if (!Files.isRegularFile(file)) {
      throw new DataException(file + ": no such file");
    }
    if (!Files.isReadable(file)) {
      throw new DataException(file + ": not readable");
    }
    List<Sentence> sentences;
    try {
      sentences = ConlluReader.read(file);
    } catch (IOException e) {
      throw new DataException(e.getMessage(), e);
    }
    if (sentences.isEmpty()) {
      throw new DataException(file + ": no sentences");
    }
    for (Sentence s : sentences) {
      for (Word w : s.words()) {
        String tag = w.tag(column);
        if (tag.equals("_") || tag.isEmpty()) {
          throw new DataException(
              file
                  + ": sentence at line "
                  + s.line()
                  + ", word "
                  + w.id()
                  + " '"
                  + w.form()
                  + "' has no "
                  + column
                  + " tag ('_'): this file cannot train or evaluate a "
                  + column
                  + " tagger");
        }
      }
    }
    return sentences;
  }

  /** Data that cannot be used, with a message naming the file and the problem. */
  public static final class DataException extends Exception {
    public DataException(String message) {
      super(message);
    }

    public DataException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
