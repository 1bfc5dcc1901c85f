package org.streamtagger.trainer.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.streamtagger.tagging.contract.ModelContract;
import org.streamtagger.trainer.tagger.Checkpoint;
import org.streamtagger.trainer.tagger.TrainerVersion;

/** The {@code metadata_props} of an exported model, from its checkpoint. */
public final class ExportMetadata {
  /** Training words rarer than min_count (mapped to unknown), newline-separated. */
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
    m.put(ModelContract.MODEL_NAME, name);
    m.put(ModelContract.MODEL_VERSION, version);
    m.put(ModelContract.PRESET, members.get(0).config().preset());
    m.put(ModelContract.ENSEMBLE_MEMBERS, Integer.toString(members.size()));
    try {
      // One model: its hyper-parameters; an ensemble: a list, one entry per member.
      Object params =
          members.size() == 1
              ? members.get(0).config().asMap()
              : members.stream().map(x -> x.config().asMap()).toList();
      m.put(ModelContract.HYPER_PARAMETERS, new ObjectMapper().writeValueAsString(params));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    m.put(ModelContract.TAG_COLUMN, loaded.column().name());
    m.put(ModelContract.TAG_LIST, String.join(" ", vocabularies.tags().symbols()));
    m.put(ModelContract.MAX_WORD_CHARS, Integer.toString(vocabularies.maxWordChars()));
    m.put(ModelContract.CHAR_TRUNCATION, "head_tail");
    m.put(ModelContract.VOCABULARY_WORDS, Integer.toString(vocabularies.words().size()));
    // With the word look-up's keys, these tell which words the model saw in training (OOV).
    m.put(
        ModelContract.RARE_TRAINING_WORDS,
        String.join("\n", vocabularies.rareWords().stream().sorted().toList()));
    Map<String, Object> info = loaded.info();
    m.put(ModelContract.TRAINING_DATA, String.valueOf(info.getOrDefault("train_file", "unknown")));
    m.put(
        ModelContract.TRAINING_SENTENCES,
        String.valueOf(info.getOrDefault("train_sentences", "unknown")));
    m.put(ModelContract.DEV_ACCURACY, String.valueOf(info.getOrDefault("dev_accuracy", "unknown")));
    m.put(
        ModelContract.TEST_ACCURACY,
        Double.isNaN(testAccuracy) ? "unknown" : Double.toString(testAccuracy));
    m.put(ModelContract.EPOCH, String.valueOf(info.getOrDefault("epoch", "unknown")));
    m.put(ModelContract.TRAINER_VERSION, TrainerVersion.get());
    m.put(ModelContract.CREATED, Instant.now().toString());
    return m;
  }
}
