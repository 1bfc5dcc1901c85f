package org.streamtagger.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.tagging.contract.ModelContract;
import org.streamtagger.tagging.inference.InferenceOptions;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.tagging.inference.Tagging;
import org.streamtagger.trainer.data.Vocabularies;
import org.streamtagger.trainer.tagger.ModelConfig;
import org.streamtagger.trainer.tagger.TaggerModel;
import org.streamtagger.trainer.tagger.Tutorial;

/** Models and inputs the ONNX tagger must refuse clearly, or handle in a defined way. */
class OnnxTaggerInputTest {
  @TempDir Path dir;
  private TaggerModel model;
  private Map<String, String> metadata;

  @BeforeEach
  void model() {
    Vocabularies v = Vocabularies.build(Tutorial.TRAINING_DATA, TagColumn.UPOS, 1, true, 8);
    model = new TaggerModel(ModelConfig.preset("ewt").withSeed(3), v);
    metadata = new HashMap<>();
    metadata.put("model_name", "test");
    metadata.put("model_version", "1");
    metadata.put("tag_column", "UPOS");
    metadata.put("tags", String.join(" ", v.tags().symbols()));
    metadata.put("max_word_chars", "8");
  }

  private Path export(Map<String, String> meta) throws IOException {
    Path file = dir.resolve("m.onnx");
    OnnxExporter.export(model, meta, file);
    return file;
  }

  private static OnnxTagger load(Path file) throws IOException {
    return OnnxTagger.load(file, InferenceOptions.defaults().withThreads(1));
  }

  @Test
  void aFileThatIsNotOnnxIsRefused() throws IOException {
    Path text = Files.writeString(dir.resolve("model.onnx"), "definitely not protobuf");
    var e = assertThrows(OnnxTagger.ModelException.class, () -> load(text));
    assertTrue(e.getMessage().contains("not a usable ONNX model"), e.getMessage());
  }

  @Test
  void aTruncatedModelIsRefused() throws IOException {
    Path file = export(metadata);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    var e = assertThrows(OnnxTagger.ModelException.class, () -> load(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void missingMetadataIsNamed() throws IOException {
    metadata.remove("max_word_chars");
    Path file = export(metadata);
    var e = assertThrows(OnnxTagger.ModelException.class, () -> load(file));
    assertTrue(e.getMessage().endsWith("metadata 'max_word_chars' missing"), e.getMessage());
  }

  @Test
  void aModelWithOtherInputsIsRefused() throws IOException {
    OnnxGraph g = new OnnxGraph("identity");
    g.input(g.value("x", OnnxMl.TensorProto.DataType.FLOAT, 1));
    g.node(ModelContract.Operator.EXP, List.of("x"), List.of("y"));
    g.output(g.value("y", OnnxMl.TensorProto.DataType.FLOAT, 1));
    Path file = dir.resolve("identity.onnx");
    Files.write(
        file,
        OnnxMl.ModelProto.newBuilder()
            .setIrVersion(8)
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17))
            .setGraph(g.build())
            .build()
            .toByteArray());
    var e = assertThrows(OnnxTagger.ModelException.class, () -> load(file));
    assertTrue(e.getMessage().contains("expected a STRING input 'words'"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    var e = assertThrows(IOException.class, () -> load(dir.resolve("absent.onnx")));
    assertTrue(e.getMessage().contains("absent.onnx"), e.getMessage());
  }

  @Test
  void emptySentencesAndTokensAreRefusedWithTheirPosition() throws IOException {
    try (OnnxTagger tagger = load(export(metadata))) {
      var e1 =
          assertThrows(
              IllegalArgumentException.class, () -> tagger.tag(List.of(List.of("a"), List.of())));
      assertEquals("sentence 1 of the batch has no tokens", e1.getMessage());
      var e2 =
          assertThrows(IllegalArgumentException.class, () -> tagger.tag(List.of(List.of("a", ""))));
      assertTrue(e2.getMessage().startsWith("sentence 0, token 1 is empty"), e2.getMessage());
      assertEquals(List.of(), tagger.tag(List.of()));
    }
  }

  @Test
  void strangeButValidTokensGetTags() throws IOException {
    String huge = "x".repeat(10_000);
    List<String> strange =
        List.of(
            huge, "bell\u0007", "nul\u0000byte", "lone\uD800", "\uDC00", "\uD83D\uDE00", "\u202E");
    try (OnnxTagger tagger = load(export(metadata))) {
      for (int round = 0; round < 50; round++) { // repeated: native memory must not grow
        Tagging t = tagger.tag(List.of(strange)).get(0);
        assertEquals(strange.size(), t.tags().size());
        for (String tag : t.tags()) {
          assertTrue(model.vocabularies().tags().contains(tag), tag);
        }
      }
    }
  }
}
