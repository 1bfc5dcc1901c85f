package org.streamtagger.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.streamtagger.tagging.inference.ExecutionProvider;
import org.streamtagger.tagging.inference.InferenceOptions;
import org.streamtagger.tagging.inference.OnnxTagger;
import picocli.CommandLine.Option;

/** Which model to load and how to run it. */
final class ModelOptions {
  @Option(
      names = "--model",
      paramLabel = "PATH",
      description = "ONNX model file (default: the bundled EWT UPOS model).")
  Path model;

  @Option(
      names = "--provider",
      defaultValue = "cpu",
      description = "Execution provider: cpu or cuda (default: ${DEFAULT-VALUE}).")
  String provider;

  @Option(
      names = "--require-provider",
      description = "Fail instead of falling back to CPU when the provider is unavailable.")
  boolean requireProvider;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "0",
      description = "ONNX Runtime threads per run (0: its default).")
  int intraOpThreads;

  OnnxTagger load() throws IOException {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("--intra-op-threads must be >= 0");
    }
    InferenceOptions options =
        InferenceOptions.defaults()
            .withThreads(intraOpThreads)
            .withProvider(ExecutionProvider.parse(provider), requireProvider);
    return model == null ? OnnxTagger.bundled(options) : OnnxTagger.load(model, options);
  }
}
