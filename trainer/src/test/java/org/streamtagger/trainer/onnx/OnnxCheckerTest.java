package org.streamtagger.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.data.Vocabularies;
import org.streamtagger.trainer.tagger.ModelConfig;
import org.streamtagger.trainer.tagger.TaggerModel;
import org.streamtagger.trainer.tagger.Tutorial;

/**
 * The exported file passes ONNX's own checker with shape inference (Debian's python3-onnx); skipped
 * where that is not installed.
 */
class OnnxCheckerTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final String CHECK =
      "import onnx, sys\n"
          + "m = onnx.load(sys.argv[1])\n"
          + "onnx.checker.check_model(m, full_check=True)\n"
          + "print('ok')\n";

  @TempDir Path dir;

  private static boolean onnxAvailable() throws InterruptedException {
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import onnx").start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void exportedModelsPassTheChecker() throws Exception {
    assumeTrue(onnxAvailable(), "python3-onnx not installed (apt-get install python3-onnx)");
    Vocabularies v = Vocabularies.build(Tutorial.TRAINING_DATA, TagColumn.UPOS, 1, true, 32);
    for (ModelConfig config :
        new ModelConfig[] {
          ModelConfig.preset("ewt"), ModelConfig.preset("ewt-plus"), ModelConfig.preset("seed")
        }) {
      Path file = dir.resolve(config.preset() + ".onnx");
      OnnxExporter.export(new TaggerModel(config, v), Map.of("model_name", config.preset()), file);
      Process p =
          new ProcessBuilder(PYTHON, "-c", CHECK, file.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), config.preset() + ": " + out);
      assertEquals("ok", out.strip(), config.preset());
      Files.delete(file);
    }
  }
}
