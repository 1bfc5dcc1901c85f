package org.streamtagger.trainer.optim;

import java.util.List;
import org.streamtagger.trainer.autograd.RowSet;
import org.streamtagger.trainer.autograd.Tensor;

/**
 * Plain stochastic gradient descent, {@code θ ← θ − lr·∇θ} (Robbins &amp; Monro, 1951). Row-sparse
 * tables are updated only in the rows their gradient touched, which is the same update as a dense
 * one (the other rows' gradients are zero) at a fraction of the cost.
 */
public final class Sgd implements Optimizer {
  private final List<Tensor> parameters;
  private final float lr;

  public Sgd(List<Tensor> parameters, float lr) {
    if (!(lr > 0f)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + lr);
    }
    this.parameters = List.copyOf(parameters);
    this.lr = lr;
  }

  @Override
  public void step() {
    for (Tensor p : parameters) {
      if (p.isRowSparse()) {
        int cols = p.dim(1);
        RowSet rows = p.touchedRows();
        for (int i = 0; i < rows.size(); i++) {
          int off = rows.get(i) * cols;
          for (int j = off; j < off + cols; j++) {
            p.data[j] -= lr * p.grad[j];
          }
        }
      } else {
        for (int j = 0; j < p.data.length; j++) {
          p.data[j] -= lr * p.grad[j];
        }
      }
    }
  }

  @Override
  public void zeroGrad() {
    parameters.forEach(Tensor::zeroGrad);
  }

  @Override
  public String toString() {
    return "Sgd(lr=" + lr + ")";
  }
}
