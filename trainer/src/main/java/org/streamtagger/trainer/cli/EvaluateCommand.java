package org.streamtagger.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.autograd.Parallel;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.tagger.Checkpoint;
import org.streamtagger.trainer.tagger.Evaluation;
import org.streamtagger.trainer.tagger.EvaluationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tagger evaluate}: scores a trained model on gold-tagged CoNLL-U data. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate a model on a CoNLL-U file: token accuracy, accuracy on words unseen in"
            + " training, per-tag precision/recall/F1 and the most frequent confusions.")
final class EvaluateCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      paramLabel = "PATH",
      description = "Checkpoint file or training directory (default: the shipped model).")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "FILE", description = "CoNLL-U file.")
  Path data;

  @Option(
      names = "--column",
      description = "Tag column to score: upos or xpos (default: the model's).")
  String column;

  @Option(names = "--threads", defaultValue = "2", description = "Threads (default: 2).")
  int threads;

  @Option(names = "--confusions", defaultValue = "10", description = "How many confusions to list.")
  int confusions;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    Path modelPath = model != null ? model : ShippedModel.path();
    Checkpoint.Loaded loaded = Checkpoint.load(modelPath);
    TagColumn col = column == null ? loaded.column() : TagColumn.parse(column);
    if (col != loaded.column()) {
      throw new IllegalArgumentException(
          "the model predicts " + loaded.column() + " tags, not " + col);
    }
    List<Sentence> sentences = Treebank.load(data, col);
    List<EncodedSentence> encoded = new ArrayList<>(sentences.size());
    for (Sentence s : sentences) {
      encoded.add(loaded.model().vocabularies().encode(s, col));
    }
    Parallel.setThreads(1); // evaluation spreads whole batches over threads instead
    Evaluation eval = Evaluation.of(loaded.model(), encoded, threads);
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("model", modelPath.toString());
      out.put("data", data.toString());
      out.put("column", col.name());
      out.put("engine", "java");
      out.put("sentences", sentences.size());
      out.putAll(EvaluationReport.asMap(eval, confusions));
      System.out.println(new ObjectMapper().writeValueAsString(out));
    } else {
      System.out.println(modelPath + " on " + data + " (" + col + "):");
      System.out.print(EvaluationReport.text(eval, confusions));
    }
    return 0;
  }
}
