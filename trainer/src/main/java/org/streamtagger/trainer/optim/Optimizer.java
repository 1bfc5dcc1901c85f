package org.streamtagger.trainer.optim;

/** Updates parameters from their accumulated gradients. */
public interface Optimizer {

  /** Applies one update from the current gradients. */
  void step();

  /** Clears the gradients of every parameter it updates. */
  void zeroGrad();
}
