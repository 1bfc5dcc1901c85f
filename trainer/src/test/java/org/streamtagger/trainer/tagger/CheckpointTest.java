package org.streamtagger.trainer.tagger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    assertTrue(
        e.getMessage().contains("format version " + (Checkpoint.FORMAT_VERSION + 1)),
        e.getMessage());
  }

  @Test
  void anEnsembleRoundTripsWithAllItsMembers() throws IOException {
    TaggerModel other = new TaggerModel(model.config().withSeed(10), model.vocabularies());
    Path both = dir.resolve("ensemble.ckpt");
    Checkpoint.save(both, List.of(model, other), TagColumn.XPOS, Map.of());
    Checkpoint.Loaded loaded = Checkpoint.load(both);
    assertEquals(2, loaded.members().size());
    EncodedSentence s = model.vocabularies().encode(List.of("The", "dog", "ate", "zebras"), null);
    assertArrayEquals(
        new Ensemble(List.of(model, other)).logProbs(List.of(s)).data,
        loaded.predictor().logProbs(List.of(s)).data);
    var e = assertThrows(IllegalStateException.class, loaded::model);
    assertTrue(e.getMessage().contains("ensemble of 2"), e.getMessage());
  }

  @Test
  void singleModelFilesOfFormatVersionOneAreStillRead() throws IOException {
    // Version 1 had the one model's config under "config" instead of a "members" list.
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
    byte[] json = new byte[bytes.getInt(12)];
    bytes.get(16, json);
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Object> header = mapper.readValue(json, new TypeReference<>() {});
    header.put("config", ((List<?>) header.remove("members")).get(0));
    byte[] v1Json = mapper.writeValueAsBytes(header);
    ByteBuffer v1 = ByteBuffer.allocate(bytes.capacity() - json.length + v1Json.length);
    v1.put(bytes.array(), 0, 8).putInt(1).putInt(v1Json.length).put(v1Json);
    v1.put(bytes.array(), 16 + json.length, bytes.capacity() - 16 - json.length);
    Path old = Files.write(dir.resolve("v1.ckpt"), v1.array());

    Checkpoint.Loaded loaded = Checkpoint.load(old);
    assertEquals(model.config(), loaded.model().config());
    EncodedSentence s = model.vocabularies().encode(List.of("The", "dog"), null);
    assertArrayEquals(model.logProbs(List.of(s)).data, loaded.model().logProbs(List.of(s)).data);
  }
}
