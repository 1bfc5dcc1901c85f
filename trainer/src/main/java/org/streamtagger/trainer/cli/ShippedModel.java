package org.streamtagger.trainer.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model the product ships: {@code models/ewt-upos.ckpt} under the installation directory (the
 * launcher passes it as {@code -Dtagger.home}; the working directory otherwise).
 */
public final class ShippedModel {
  static final String RELATIVE = "models/ewt-upos.ckpt";

  private ShippedModel() {}

  public static Path path() {
    String home = System.getProperty("tagger.home", ".");
    Path p = Path.of(home).resolve(RELATIVE);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException(
          "no shipped model at " + p + ": name one with --model PATH");
    }
    return p;
  }
}
