package org.streamtagger.trainer.nn;

import java.util.random.RandomGenerator;
import org.streamtagger.trainer.autograd.Tensor;

/** Weight initialisations, matching PyTorch's defaults for the same layers. */
final class Init {
  private Init() {}

  /** Uniform in {@code [-bound, bound)}. */
  static void uniform(Tensor t, float bound, RandomGenerator random) {
    for (int i = 0; i < t.data.length; i++) {
      t.data[i] = (random.nextFloat() * 2f - 1f) * bound;
    }
  }

  /** Standard normal. */
  static void normal(Tensor t, RandomGenerator random) {
    for (int i = 0; i < t.data.length; i++) {
      t.data[i] = (float) random.nextGaussian();
    }
  }
}
