package org.streamtagger.processor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** The README's table of settings says what the code does: every key, with its default. */
class ReadmeSettingsTest {
  @Test
  void everySettingIsInTheReadmeWithItsDefault() throws Exception {
    List<String> rows =
        Files.readAllLines(Path.of("..", "README.md")).stream()
            .filter(l -> l.startsWith("| `tagger."))
            .toList();
    assertEquals(ProcessorConfig.SETTINGS.names().size(), rows.size(), "one row per setting");
    for (ConfigDef.ConfigKey key : ProcessorConfig.SETTINGS.configKeys().values()) {
      String row =
          rows.stream()
              .filter(r -> r.startsWith("| `" + key.name + "` |"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no README row for " + key.name));
      String defaultColumn = row.split("\\|")[2].trim();
      String expected = String.valueOf(key.defaultValue);
      assertTrue(
          expected.isEmpty()
              ? defaultColumn.startsWith("(empty")
              : defaultColumn.equals("`" + expected + "`"),
          key.name + ": README says " + defaultColumn + ", the code " + expected);
    }
  }
}
