package org.streamtagger.trainer.optim;

import java.util.List;
import org.streamtagger.trainer.autograd.Tensor;

/**
 * Rescales gradients whose joint L2 norm exceeds a limit (Pascanu, Mikolov &amp; Bengio, "On the
 * difficulty of training recurrent neural networks", ICML 2013), as {@code clip_grad_norm_}.
 */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales all gradients by {@code maxNorm / norm} when their global norm is above {@code maxNorm}.
   *
   * @return the global norm before clipping
   */
  public static double clipGlobalNorm(List<Tensor> parameters, double maxNorm) {
    double sq = 0;
    for (Tensor p : parameters) {
      for (float g : p.grad) {
        sq += (double) g * g;
      }
    }
    double norm = Math.sqrt(sq);
    if (norm > maxNorm) {
      float scale = (float) (maxNorm / (norm + 1e-6));
      for (Tensor p : parameters) {
        for (int j = 0; j < p.grad.length; j++) {
          p.grad[j] *= scale;
        }
      }
    }
    return norm;
  }
}
