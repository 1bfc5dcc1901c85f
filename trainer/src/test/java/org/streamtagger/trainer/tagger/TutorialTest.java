package org.streamtagger.trainer.tagger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TutorialTest {

  @Test
  void bothModelsLearnTheFirstSentence() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Tutorial.Result result = Tutorial.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> expected = List.of("DET", "NN", "V", "DET", "NN");
    assertEquals(expected, result.wordOnly());
    assertEquals(expected, result.withChars());
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("before training"), printed);
    assertTrue(printed.contains("Predicted: DET NN V DET NN"), printed);
  }
}
