package org.streamtagger.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
    Map<String, List<TaggerModel>> models = new LinkedHashMap<>();
    for (String preset : List.of("ewt", "ewt-plus", "seed")) {
      models.put(preset, List.of(new TaggerModel(ModelConfig.preset(preset), v)));
    }
    ModelConfig plus = ModelConfig.preset("ewt-plus");
    models.put(
        "ensemble",
        List.of(
            new TaggerModel(plus, v),
            new TaggerModel(plus.withSeed(2), v),
            new TaggerModel(plus.with(Map.of("char_hidden", 32, "layers", 1)), v)));
    TaggerModel rounded = new TaggerModel(plus, v);
    rounded.parameters().values().forEach(t -> Half.roundAll(t.data));
    models.put("fp16", List.of(rounded));
    for (var e : models.entrySet()) {
      Path file = dir.resolve(e.getKey() + ".onnx");
      OnnxExporter.export(e.getValue(), Map.of("model_name", e.getKey()), file);
      Process p =
          new ProcessBuilder(PYTHON, "-c", CHECK, file.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), e.getKey() + ": " + out);
      assertEquals("ok", out.strip(), e.getKey());
      Files.delete(file);
    }
  }
}
