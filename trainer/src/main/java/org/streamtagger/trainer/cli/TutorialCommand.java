package org.streamtagger.trainer.cli;

import java.util.concurrent.Callable;
import org.streamtagger.trainer.tagger.Tutorial;
import picocli.CommandLine.Command;

/** {@code tagger tutorial}: the PyTorch tutorial's example and exercise, end to end. */
@Command(
    name = "tutorial",
    mixinStandardHelpOptions = true,
    description =
        "Train the LSTM tagger of PyTorch's sequence-models tutorial on its two sentences, "
            + "then the character-level exercise, printing tag scores and predictions.")
public final class TutorialCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    Tutorial.run(System.out);
    return 0;
  }
}
