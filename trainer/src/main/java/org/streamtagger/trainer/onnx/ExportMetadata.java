package org.streamtagger.trainer.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.streamtagger.trainer.tagger.Checkpoint;
import org.streamtagger.trainer.tagger.TrainerVersion;

/** The {@code metadata_props} of an exported model, from its checkpoint. */
public final class ExportMetadata {
  /** Training words rarer than min_count (mapped to unknown), newline-separated. */
  public static final String RARE_WORDS = "rare_training_words";

  private ExportMetadata() {}

  /**
   * Name, version, preset and hyper-parameters, tag column and tag list, {@code max_word_chars},
   * training data, accuracies, trainer version and creation time.
   *
   * @param testAccuracy accuracy on a test set measured at export time, or NaN
   */
  public static Map<String, String> of(
      Checkpoint.Loaded loaded, String name, String version, double testAccuracy) {
    var members = loaded.members();
    var vocabularies = loaded.vocabularies();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("model_name", name);
    m.put("model_version", version);
    m.put("preset", members.get(0).config().preset());
    m.put("ensemble_members", Integer.toString(members.size()));
    try {
      // One model: its hyper-parameters; an ensemble: a list, one entry per member.
      Object params =
          members.size() == 1
              ? members.get(0).config().asMap()
              : members.stream().map(x -> x.config().asMap()).toList();
      m.put("hyper_parameters", new ObjectMapper().writeValueAsString(params));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    m.put("tag_column", loaded.column().name());
    m.put("tags", String.join(" ", vocabularies.tags().symbols()));
    m.put("max_word_chars", Integer.toString(vocabularies.maxWordChars()));
    m.put("char_truncation", "head_tail");
    m.put("words", Integer.toString(vocabularies.words().size()));
    // With the word look-up's keys, these tell which words the model saw in training (OOV).
    m.put(RARE_WORDS, String.join("\n", vocabularies.rareWords().stream().sorted().toList()));
    Map<String, Object> info = loaded.info();
    m.put("training_data", String.valueOf(info.getOrDefault("train_file", "unknown")));
    m.put("training_sentences", String.valueOf(info.getOrDefault("train_sentences", "unknown")));
    m.put("dev_accuracy", String.valueOf(info.getOrDefault("dev_accuracy", "unknown")));
    m.put("test_accuracy", Double.isNaN(testAccuracy) ? "unknown" : Double.toString(testAccuracy));
    m.put("epoch", String.valueOf(info.getOrDefault("epoch", "unknown")));
    m.put("trainer_version", TrainerVersion.get());
    m.put("created", Instant.now().toString());
    return m;
  }
}
