package org.streamtagger.trainer.optim;

import java.util.List;
import org.streamtagger.trainer.autograd.Tensor;

/**
 * An exponential moving average of the weights, {@code a ← d·a + (1−d)·θ} after every update
 * (Polyak &amp; Juditsky, "Acceleration of stochastic approximation by averaging", 1992): the
 * average is usually a better model than the last weights. {@link #swap()} exchanges the live
 * weights with the average, so evaluation and saving can use it and training can go on after a
 * second swap.
 */
public final class WeightAverage {
  private final List<Tensor> parameters;
  private final float decay;
  private final float[][] average;
  private long updates;

  public WeightAverage(List<Tensor> parameters, float decay) {
    this.parameters = List.copyOf(parameters);
    this.decay = decay;
    average = new float[this.parameters.size()][];
    for (int i = 0; i < average.length; i++) {
      average[i] = this.parameters.get(i).data.clone();
    }
  }

  /** Folds the current weights into the average (debiased early on, as in TensorFlow's EMA). */
  public void update() {
    updates++;
    float d = Math.min(decay, (1f + updates) / (10f + updates));
    for (int i = 0; i < average.length; i++) {
      float[] a = average[i];
      float[] w = parameters.get(i).data;
      for (int j = 0; j < a.length; j++) {
        a[j] = d * a[j] + (1 - d) * w[j];
      }
    }
  }

  /** Exchanges the live weights and the average. */
  public void swap() {
    for (int i = 0; i < average.length; i++) {
      float[] w = parameters.get(i).data;
      float[] a = average[i];
      for (int j = 0; j < a.length; j++) {
        float t = w[j];
        w[j] = a[j];
        a[j] = t;
      }
    }
  }

  public int parameterCount() {
    return average.length;
  }

  /** The averaged values of parameter {@code i}, for resumable state. */
  public float[] values(int i) {
    return average[i];
  }

  public long updates() {
    return updates;
  }

  public void restoreUpdates(long n) {
    updates = n;
  }
}
