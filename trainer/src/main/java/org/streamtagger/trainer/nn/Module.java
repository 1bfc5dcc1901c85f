package org.streamtagger.trainer.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.streamtagger.trainer.autograd.Tensor;

/** Something with trainable parameters, each under a stable dotted name. */
public interface Module {

  /** The parameters in a fixed order, keyed by name (e.g. {@code lstm.weight_ih}). */
  Map<String, Tensor> parameters();

  /** Adds {@code child}'s parameters to {@code into} under {@code prefix.}. */
  static void collect(Map<String, Tensor> into, String prefix, Module child) {
    child.parameters().forEach((name, t) -> into.put(prefix + "." + name, t));
  }

  /** Total number of trainable values. */
  default long parameterCount() {
    long n = 0;
    for (Tensor t : parameters().values()) {
      n += t.size();
    }
    return n;
  }

  /** A fresh ordered map, for implementations. */
  static Map<String, Tensor> ordered() {
    return new LinkedHashMap<>();
  }
}
