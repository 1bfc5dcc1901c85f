package org.streamtagger.trainer.cli;

import java.nio.file.Path;

/**
 * Where treebanks are looked for when no file is named: {@code $TAGGER_DATA}, else the system
 * property {@code tagger.data}, else {@code ../shared/data} beside the working directory.
 */
public final class DataLocation {
  public static final String ENV = "TAGGER_DATA";
  public static final String EWT = "ud-english-ewt";

  private DataLocation() {}

  public static Path root() {
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String prop = System.getProperty("tagger.data");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    return Path.of("..", "shared", "data");
  }

  /** An EWT split: {@code train}, {@code dev} or {@code test}. */
  public static Path ewt(String split) {
    return root().resolve(EWT).resolve("en_ewt-ud-" + split + ".conllu");
  }
}
