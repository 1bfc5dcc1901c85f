package org.streamtagger.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.streamtagger.trainer.cli.TrainingMixin;
import org.streamtagger.trainer.tagger.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tagger bench train}: training speed of a preset over one epoch (no evaluation, nothing
 * written), each run on a fresh model.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Training speed: one epoch of a preset, no evaluation, nothing saved.")
final class BenchTrainCommand implements Callable<Integer> {
  @Mixin TrainingMixin training;

  @Option(
      names = "--runs",
      defaultValue = "1",
      description = "Timed epochs, each on a fresh model; the median is reported.")
  int runs;

  @Option(names = "--json", description = "Print one JSON object instead of a sentence.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (runs < 1) {
      throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
    }
    var config = training.config().withEpochs(1);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    List<Double> seconds = new ArrayList<>();
    Trainer.Result last = null;
    for (int r = 0; r < runs; r++) {
      last =
          new Trainer(json ? quiet : System.err)
              .train(
                  new Trainer.Options(
                      config,
                      training.trainFile(),
                      null,
                      null,
                      training.tagColumn(),
                      training.threads(),
                      training.limit(),
                      0));
      seconds.add(last.epochs().get(0).seconds());
    }
    double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median =
        sorted.length % 2 == 1
            ? sorted[sorted.length / 2]
            : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("preset", config.preset());
    out.put("sentences", last.sentences());
    out.put("tokens", last.tokens());
    out.put("seconds", median);
    out.put("sentences_per_s", last.sentences() / median);
    out.put("tokens_per_s", last.tokens() / median);
    out.put("threads", training.threads());
    // Batch-1 SGD is sequential by nature: each update needs the previous one's weights.
    out.put("training_threads", config.training().batchSize() == 1 ? 1 : training.threads());
    out.put("runs", runs);
    out.put("run_seconds", Arrays.stream(seconds.toArray()).toList());
    out.put("final_loss", last.epochs().get(0).loss());
    out.put("java", System.getProperty("java.version"));
    out.put("cpus", Runtime.getRuntime().availableProcessors());
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(out));
    } else {
      System.out.printf(
          Locale.ROOT,
          "%s: %,d sentences (%,d tokens) in %.2fs: %,.0f sentences/s, %,.0f tokens/s%n",
          config.preset(),
          last.sentences(),
          last.tokens(),
          median,
          last.sentences() / median,
          last.tokens() / median);
    }
    return 0;
  }
}
