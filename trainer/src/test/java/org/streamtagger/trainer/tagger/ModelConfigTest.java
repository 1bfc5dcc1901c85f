package org.streamtagger.trainer.tagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
  @Test
  void presetsKeepTheValuesOfDesignMd() {
    // As the presets were first written (positional values), so that speed and accuracy stay
    // comparable over time.
    assertEquals(
        "{average_decay=0.0, batch_size=1, bidirectional=false, char_bidirectional=false,"
            + " char_dim=0, char_hidden=0, clip_norm=0.0, dropout=0.0, epochs=1, hidden=6,"
            + " layers=1, lr=0.1, max_word_chars=32, min_count=1, optimizer=sgd, preset=seed,"
            + " seed=1, shuffle=false, word_dim=6, word_dropout=0.0}",
        ModelConfig.preset("seed").asMap().toString());
    assertEquals(
        "{average_decay=0.0, batch_size=1, bidirectional=false, char_bidirectional=false,"
            + " char_dim=3, char_hidden=3, clip_norm=0.0, dropout=0.0, epochs=1, hidden=6,"
            + " layers=1, lr=0.1, max_word_chars=32, min_count=1, optimizer=sgd,"
            + " preset=seed-char, seed=1, shuffle=false, word_dim=6, word_dropout=0.0}",
        ModelConfig.preset("seed-char").asMap().toString());
    assertEquals(
        "{average_decay=0.0, batch_size=32, bidirectional=true, char_bidirectional=true,"
            + " char_dim=32, char_hidden=32, clip_norm=5.0, dropout=0.33, epochs=15, hidden=128,"
            + " layers=1, lr=0.002, max_word_chars=32, min_count=2, optimizer=adam, preset=ewt,"
            + " seed=1, shuffle=true, word_dim=100, word_dropout=0.05}",
        ModelConfig.preset("ewt").asMap().toString());
    assertEquals(
        "{average_decay=0.999, batch_size=32, bidirectional=true, char_bidirectional=true,"
            + " char_dim=48, char_hidden=64, clip_norm=5.0, dropout=0.33, epochs=30, hidden=128,"
            + " layers=2, lr=0.002, max_word_chars=32, min_count=2, optimizer=adam,"
            + " preset=ewt-plus, seed=1, shuffle=true, word_dim=100, word_dropout=0.05}",
        ModelConfig.preset("ewt-plus").asMap().toString());
  }

  @Test
  void aConfigRoundTripsThroughItsMapAndOldMapsReadWithTheirDefaults() {
    ModelConfig c = ModelConfig.preset("ewt-plus").withSeed(7);
    assertEquals(c, ModelConfig.fromMap(c.asMap()));
    Map<String, Object> old = new java.util.HashMap<>(ModelConfig.preset("ewt").asMap());
    old.remove("layers");
    old.remove("average_decay");
    old.put("lr", 0.002); // JSON reads numbers as doubles
    assertEquals(ModelConfig.preset("ewt"), ModelConfig.fromMap(old));
    old.remove("hidden");
    assertEquals(
        "config value 'hidden' missing",
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(old)).getMessage());
  }

  @Test
  void valuesAreSetByKeyAndParsedByTheSettingsType() {
    ModelConfig c =
        ModelConfig.preset("ewt")
            .with(Map.of("char_hidden", "64", "shuffle", "false", "lr", "0.01", "seed", "9"));
    assertEquals(64, c.model().charHidden());
    assertEquals(false, c.training().shuffle());
    assertEquals(0.01f, c.training().lr());
    assertEquals(9, c.training().seed());
    assertEquals(
        "shuffle=1: expected true or false",
        assertThrows(IllegalArgumentException.class, () -> c.with(Map.of("shuffle", "1")))
            .getMessage());
    assertEquals(
        "layers=2.5: expected an integer",
        assertThrows(IllegalArgumentException.class, () -> c.with(Map.of("layers", "2.5")))
            .getMessage());
    assertEquals(
        "layers must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> c.withLayers(0).validate())
            .getMessage());
  }
}
