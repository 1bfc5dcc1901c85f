package org.streamtagger.tagging.inference;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * How to run a model.
 *
 * @param provider {@code CPU} or {@code CUDA}
 * @param providerRequired fail instead of falling back to CPU when the provider is unavailable
 * @param intraOpThreads threads inside one run; 0 lets ONNX Runtime choose
 * @param optimization graph optimisation level
 */
public record InferenceOptions(
    ExecutionProvider provider,
    boolean providerRequired,
    int intraOpThreads,
    OptLevel optimization) {

  /** CPU, ONNX Runtime's choice of threads, all graph optimisations. */
  public static InferenceOptions defaults() {
    return new InferenceOptions(ExecutionProvider.CPU, false, 0, OptLevel.ALL_OPT);
  }

  /** A copy with {@code n} threads inside one run (0: ONNX Runtime's choice). */
  public InferenceOptions withThreads(int n) {
    return new InferenceOptions(provider, providerRequired, n, optimization);
  }

  /**
   * A copy on execution provider {@code p}; {@code required} fails loading where it is unavailable
   * instead of falling back to the CPU.
   */
  public InferenceOptions withProvider(ExecutionProvider p, boolean required) {
    return new InferenceOptions(p, required, intraOpThreads, optimization);
  }
}
