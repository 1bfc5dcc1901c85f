package org.streamtagger.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.autograd.Parallel;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.onnx.OnnxEvaluation;
import org.streamtagger.trainer.tagger.Checkpoint;
import org.streamtagger.trainer.tagger.Evaluation;
import org.streamtagger.trainer.tagger.EvaluationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tagger evaluate}: scores a model on gold-tagged CoNLL-U data, with either engine. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate a model on a CoNLL-U file: token accuracy, accuracy on words unseen in"
            + " training, per-tag precision/recall/F1 and the most frequent confusions.")
public final class EvaluateCommand implements Callable<Integer> {
  @Option(
      names = "--engine",
      description =
          "onnx: the exported model in ONNX Runtime; java: the trainer's forward pass on a"
              + " checkpoint (default: java for a checkpoint or training directory, else onnx).")
  String engine;

  @Option(
      names = "--model",
      paramLabel = "PATH",
      description =
          "An .onnx file (onnx engine) or a checkpoint file or training directory (java engine);"
              + " default: the shipped model.")
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
    if (confusions < 0) {
      throw new IllegalArgumentException("--confusions must be >= 0, got " + confusions);
    }
    boolean checkpoint = model != null && Checkpoint.isCheckpoint(model);
    if (engine == null) {
      engine = checkpoint ? "java" : "onnx";
    } else if (checkpoint && engine.equalsIgnoreCase("onnx")) {
      throw new IllegalArgumentException(
          model
              + " is a checkpoint, which the onnx engine does not read: use --engine java, or"
              + " export it first (tagger export)");
    }
    Scored scored =
        switch (engine.toLowerCase(Locale.ROOT)) {
          case "java" -> java();
          case "onnx" -> onnx();
          default ->
              throw new IllegalArgumentException(
                  "unknown engine '" + engine + "': expected onnx or java");
        };
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("engine", engine.toLowerCase(Locale.ROOT));
      out.put("model", scored.model);
      out.put("data", data.toString());
      out.put("column", scored.column.name());
      out.put("sentences", scored.sentences);
      out.putAll(EvaluationReport.asMap(scored.eval, confusions));
      System.out.println(new ObjectMapper().writeValueAsString(out));
    } else {
      System.out.println(
          scored.model + " on " + data + " (" + scored.column + ", " + engine + " engine):");
      System.out.print(EvaluationReport.text(scored.eval, confusions));
    }
    return 0;
  }

  private record Scored(String model, TagColumn column, int sentences, Evaluation eval) {}

  private TagColumn checkColumn(TagColumn modelColumn) {
    TagColumn col = column == null ? modelColumn : TagColumn.parse(column);
    if (col != modelColumn) {
      throw new IllegalArgumentException("the model predicts " + modelColumn + " tags, not " + col);
    }
    return col;
  }

  private Scored java() throws Exception {
    Path path = model != null ? model : ShippedModel.path();
    Checkpoint.Loaded loaded = Checkpoint.load(path);
    TagColumn col = checkColumn(loaded.column());
    List<Sentence> sentences = Treebank.load(data, col);
    List<EncodedSentence> encoded = new ArrayList<>(sentences.size());
    for (Sentence s : sentences) {
      encoded.add(loaded.vocabularies().encode(s, col));
    }
    Parallel.setThreads(1); // whole batches go to the threads instead
    return new Scored(
        path.toString(),
        col,
        sentences.size(),
        Evaluation.of(loaded.predictor(), encoded, threads));
  }

  private Scored onnx() throws Exception {
    OnnxEvaluation.Scored s =
        OnnxEvaluation.of(model, data, column == null ? null : TagColumn.parse(column), threads);
    return new Scored(s.model(), s.column(), s.sentences(), s.eval());
  }
}
