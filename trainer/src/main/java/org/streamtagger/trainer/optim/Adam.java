package org.streamtagger.trainer.optim;

import java.util.List;
import org.streamtagger.trainer.autograd.Tensor;

/**
 * Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), with PyTorch's
 * defaults and bias correction. Every value is updated every step, embedding rows included, as
 * PyTorch's dense Adam does: their moments keep decaying even when a row was not used.
 */
public final class Adam implements Optimizer {
  private final List<Tensor> parameters;
  private final float lr;
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float[][] m;
  private final float[][] v;
  private long t;

  public Adam(List<Tensor> parameters, float lr) {
    this(parameters, lr, 0.9f, 0.999f, 1e-8f);
  }

  public Adam(List<Tensor> parameters, float lr, float beta1, float beta2, float eps) {
    if (!(lr > 0f)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + lr);
    }
    this.parameters = List.copyOf(parameters);
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    m = new float[this.parameters.size()][];
    v = new float[this.parameters.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = new float[this.parameters.get(i).size()];
      v[i] = new float[this.parameters.get(i).size()];
    }
  }

  @Override
  public void step() {
    t++;
    float c1 = (float) (1 - Math.pow(beta1, t));
    float c2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
    float stepSize = lr / c1;
    for (int i = 0; i < m.length; i++) {
      Tensor p = parameters.get(i);
      float[] mi = m[i];
      float[] vi = v[i];
      for (int j = 0; j < p.data.length; j++) {
        float g = p.grad[j];
        mi[j] = beta1 * mi[j] + (1 - beta1) * g;
        vi[j] = beta2 * vi[j] + (1 - beta2) * g * g;
        p.data[j] -= stepSize * mi[j] / ((float) Math.sqrt(vi[j]) / c2 + eps);
      }
    }
  }

  @Override
  public void zeroGrad() {
    parameters.forEach(Tensor::zeroGrad);
  }

  /** Number of parameters it updates. */
  public int parameterCount() {
    return parameters.size();
  }

  /** Steps taken so far (Adam's t). */
  public long steps() {
    return t;
  }

  /** First and second moment estimates of parameter {@code i}, for checkpoints. */
  public float[][] moments(int i) {
    return new float[][] {m[i], v[i]};
  }

  /** Restores the step count (moments are restored through {@link #moments}). */
  public void restoreSteps(long steps) {
    t = steps;
  }

  @Override
  public String toString() {
    return "Adam(lr=" + lr + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps + ")";
  }
}
