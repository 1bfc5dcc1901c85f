package org.streamtagger.trainer.tagger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Vocabularies;

class CheckpointTest {
  @TempDir Path dir;
  private TaggerModel model;
  private Path file;

  @BeforeEach
  void save() throws IOException {
    Vocabularies v = Vocabularies.build(Tutorial.TRAINING_DATA, TagColumn.XPOS, 1, false, 32);
    model = new TaggerModel(ModelConfig.preset("seed-char").withSeed(9), v);
    file = dir.resolve(Checkpoint.FILE_NAME);
    Checkpoint.save(file, model, TagColumn.XPOS, Map.of("dev_accuracy", 0.5));
  }

  @Test
  void roundTripRestoresConfigVocabulariesWeightsAndInfo() throws IOException {
    Checkpoint.Loaded loaded = Checkpoint.load(dir); // a directory finds model.ckpt
    assertEquals(TagColumn.XPOS, loaded.column());
    assertEquals(0.5, loaded.info().get("dev_accuracy"));
    assertEquals(model.config(), loaded.model().config());
    assertEquals(
        model.vocabularies().words().symbols(), loaded.model().vocabularies().words().symbols());
    EncodedSentence s = model.vocabularies().encode(List.of("The", "dog", "ate", "zebras"), null);
    assertArrayEquals(
        model.forward(Tape.inference(), List.of(s), null).data,
        loaded.model().forward(Tape.inference(), List.of(s), null).data);
  }

  @Test
  void truncatedFileIsRefused() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 20));
    var e = assertThrows(Checkpoint.CheckpointException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void otherFilesAreRefused() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.txt"), "hello, I am not a model at all");
    var e = assertThrows(Checkpoint.CheckpointException.class, () -> Checkpoint.load(text));
    assertTrue(e.getMessage().contains("not a tagger checkpoint"), e.getMessage());
  }

  @Test
  void anotherFormatVersionIsRefused() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer.wrap(bytes).putInt(8, Checkpoint.FORMAT_VERSION + 1);
    Files.write(file, bytes);
    var e = assertThrows(Checkpoint.CheckpointException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
  }
}
