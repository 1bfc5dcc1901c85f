package org.streamtagger.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.tagging.inference.InferenceOptions;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.trainer.autograd.Parallel;
import org.streamtagger.trainer.cli.DataLocation;
import org.streamtagger.trainer.cli.ShippedModel;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.tagger.Checkpoint;
import org.streamtagger.trainer.tagger.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tagger bench infer}: tagging throughput on EWT test (gold tokens), ONNX Runtime and the
 * Java forward pass side by side, batch 1 and 64, 1 and 2 threads.
 */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description =
        "Inference speed on EWT test sentences (pre-tokenized): ONNX Runtime (bundled model) and"
            + " the Java forward pass (shipped checkpoint), batch 1 and 64, 1 and 2 threads.")
final class BenchInferCommand implements Callable<Integer> {
  @Option(names = "--data", paramLabel = "FILE", description = "CoNLL-U (default: EWT test).")
  Path data;

  @Option(names = "--model", paramLabel = "FILE", description = "ONNX model (default: bundled).")
  Path model;

  @Option(
      names = "--checkpoint",
      paramLabel = "PATH",
      description = "Checkpoint for the Java engine (default: the shipped model).")
  Path checkpoint;

  @Option(
      names = "--engines",
      split = ",",
      defaultValue = "onnx,java",
      description = "Engines to run (default: ${DEFAULT-VALUE}).")
  List<String> engines;

  @Option(
      names = "--batches",
      split = ",",
      defaultValue = "1,64",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Option(
      names = "--threads",
      split = ",",
      defaultValue = "1,2",
      description = "Thread counts (default: ${DEFAULT-VALUE}).")
  List<Integer> threads;

  @Option(names = "--repeats", defaultValue = "3", description = "Timed passes; median reported.")
  int repeats;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    atLeastOne("--batches", batches);
    atLeastOne("--threads", threads);
    atLeastOne("--repeats", List.of(repeats));
    for (String engine : engines) {
      if (!List.of("onnx", "java").contains(engine.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "--engines: unknown engine '" + engine + "': expected onnx or java");
      }
    }
    Path file = data != null ? data : DataLocation.ewt("test");
    List<Sentence> sentences = Treebank.load(file, TagColumn.UPOS);
    List<List<String>> forms = new ArrayList<>();
    long tokens = 0;
    for (Sentence s : sentences) {
      forms.add(s.forms());
      tokens += s.size();
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (String engine : engines) {
      for (int t : threads) {
        for (int b : batches) {
          double[] seconds =
              switch (engine.toLowerCase(Locale.ROOT)) {
                case "onnx" -> timeOnnx(forms, b, t);
                case "java" -> timeJava(forms, b, t);
                default ->
                    throw new IllegalArgumentException(
                        "unknown engine '" + engine + "': expected onnx or java");
              };
          Arrays.sort(seconds);
          double median = seconds[seconds.length / 2];
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("engine", engine);
          r.put("batch", b);
          r.put("threads", t);
          r.put("tokens", tokens);
          r.put("sentences", sentences.size());
          r.put("seconds", median);
          r.put("tokens_per_s", tokens / median);
          r.put("run_seconds", seconds);
          results.add(r);
          if (!json) {
            System.out.printf(
                Locale.ROOT,
                "%-4s batch %3d threads %d: %,.0f tokens/s%n",
                engine,
                b,
                t,
                tokens / median);
          }
        }
      }
    }
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("data", file.toString());
      out.put("results", results);
      out.put("java", System.getProperty("java.version"));
      out.put("cpus", Runtime.getRuntime().availableProcessors());
      System.out.println(new ObjectMapper().writeValueAsString(out));
    }
    return 0;
  }

  private double[] timeOnnx(List<List<String>> forms, int batch, int threads) throws Exception {
    InferenceOptions options = InferenceOptions.defaults().withThreads(threads);
    try (OnnxTagger tagger =
        model != null ? OnnxTagger.load(model, options) : OnnxTagger.bundled(options)) {
      return time(forms, batch, chunk -> tagger.tag(chunk));
    }
  }

  private double[] timeJava(List<List<String>> forms, int batch, int threads) throws Exception {
    Predictor m =
        Checkpoint.load(checkpoint != null ? checkpoint : ShippedModel.path()).predictor();
    Parallel.setThreads(threads);
    // Model-only, like the ONNX side: index look-ups and the forward pass per batch.
    return time(
        forms,
        batch,
        chunk -> {
          List<EncodedSentence> encoded = new ArrayList<>(chunk.size());
          for (List<String> s : chunk) {
            encoded.add(m.vocabularies().encode(s, null));
          }
          m.predict(encoded);
        });
  }

  private static void atLeastOne(String option, List<Integer> values) {
    for (int v : values) {
      if (v < 1) {
        throw new IllegalArgumentException(option + " must be at least 1, got " + v);
      }
    }
  }

  private interface BatchRun {
    void run(List<List<String>> chunk);
  }

  private double[] time(List<List<String>> forms, int batch, BatchRun run) {
    int warm = Math.min(forms.size(), 640);
    for (int i = 0; i < warm; i += batch) {
      run.run(forms.subList(i, Math.min(warm, i + batch)));
    }
    double[] seconds = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < forms.size(); i += batch) {
        run.run(forms.subList(i, Math.min(forms.size(), i + batch)));
      }
      seconds[r] = (System.nanoTime() - start) / 1e9;
    }
    return seconds;
  }
}
