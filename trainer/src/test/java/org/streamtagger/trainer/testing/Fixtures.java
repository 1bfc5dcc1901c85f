package org.streamtagger.trainer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.streamtagger.trainer.tagger.ModelConfig;
import org.streamtagger.trainer.tagger.ModelSettings;
import org.streamtagger.trainer.tagger.TrainingSettings;

/** Small CoNLL-U files the tests write themselves. */
public final class Fixtures {
  private Fixtures() {}

  /** Sentences of "word/TAG" tokens, e.g. {@code "The/DET dog/NOUN barks/VERB"}. */
  public static Path conllu(Path dir, String name, List<String> sentences) throws IOException {
    StringBuilder sb = new StringBuilder();
    int n = 0;
    for (String s : sentences) {
      sb.append("# sent_id = s").append(++n).append('\n');
      String[] tokens = s.split(" ");
      for (int i = 0; i < tokens.length; i++) {
        int slash = tokens[i].lastIndexOf('/');
        String form = tokens[i].substring(0, slash);
        String tag = tokens[i].substring(slash + 1);
        sb.append(i + 1)
            .append('\t')
            .append(form)
            .append("\t_\t")
            .append(tag)
            .append('\t')
            .append(tag.toLowerCase(java.util.Locale.ROOT))
            .append("\t_\t_\t_\t_\t_\n");
      }
      sb.append('\n');
    }
    Path file = dir.resolve(name);
    Files.writeString(file, sb, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * A small batched model with dropout, word dropout, clipping and averaged weights: every piece a
   * resume must restore, trained in seconds on the toy language.
   */
  public static ModelConfig small(int epochs, long seed) {
    return new ModelConfig(
        "small",
        ModelSettings.builder()
            .words(8, 1)
            .chars(4, 4, true)
            .sentence(8, true, 1)
            .maxWordChars(8)
            .build(),
        TrainingSettings.builder()
            .adam(1e-2f)
            .schedule(3, epochs, true)
            .dropout(0.2f, 0.1f)
            .clipNorm(5f)
            .seed(seed)
            .averageDecay(0.9f)
            .build());
  }

  /** A toy language whose tags follow from word shape, so a tiny model can learn it. */
  public static List<String> toySentences() {
    return List.of(
        "the/DET dog/NOUN runs/VERB ./PUNCT",
        "a/DET cat/NOUN sleeps/VERB ./PUNCT",
        "the/DET cat/NOUN runs/VERB fast/ADV ./PUNCT",
        "a/DET dog/NOUN sleeps/VERB ./PUNCT",
        "dogs/NOUN run/VERB ./PUNCT",
        "the/DET big/ADJ dog/NOUN sleeps/VERB ./PUNCT",
        "a/DET small/ADJ cat/NOUN runs/VERB ./PUNCT",
        "cats/NOUN sleep/VERB fast/ADV ./PUNCT");
  }
}
