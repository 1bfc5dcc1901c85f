package org.streamtagger.trainer.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.onnx.ExportMetadata;
import org.streamtagger.trainer.onnx.OnnxExporter;
import org.streamtagger.trainer.tagger.Checkpoint;
import org.streamtagger.trainer.tagger.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tagger export}: a checkpoint as one self-describing ONNX model. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export a trained checkpoint to ONNX (vocabularies, LSTMs and tag names inside).")
public final class ExportCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "PATH",
      description = "Checkpoint file or training directory.")
  Path checkpoint;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "ONNX file.")
  Path out;

  @Option(names = "--name", defaultValue = "ewt-upos", description = "Model name (metadata).")
  String name;

  @Option(names = "--model-version", defaultValue = "1", description = "Model version (metadata).")
  String version;

  @Option(
      names = "--test",
      paramLabel = "FILE",
      description = "CoNLL-U test data whose accuracy is recorded in the metadata.")
  Path test;

  @Override
  public Integer call() throws Exception {
    Checkpoint.Loaded loaded = Checkpoint.load(checkpoint);
    double testAccuracy = Double.NaN;
    if (test != null) {
      List<EncodedSentence> data =
          Treebank.loadEncoded(test, loaded.column(), loaded.vocabularies());
      testAccuracy = Evaluation.of(loaded.predictor(), data, 2).accuracy();
    }
    OnnxExporter.export(
        loaded.members(), ExportMetadata.of(loaded, name, version, testAccuracy), out);
    System.err.printf(
        Locale.ROOT,
        "wrote %s (%,d bytes)%s%n",
        out,
        java.nio.file.Files.size(out),
        Double.isNaN(testAccuracy)
            ? ""
            : String.format(Locale.ROOT, "; test accuracy %.2f%%", 100 * testAccuracy));
    return 0;
  }
}
