package org.streamtagger.trainer.autograd;

import java.util.ArrayList;
import java.util.List;

/**
 * The record of a forward pass, for reverse-mode differentiation.
 *
 * <p>Ops append their backward step as they compute; because an op can only consume tensors that
 * already exist, the record is in topological order, and {@link #backward} simply walks it in
 * reverse. An inference tape records nothing, so the same model code serves both.
 */
public final class Tape {
  private final boolean recording;
  private final List<Runnable> steps = new ArrayList<>();

  private Tape(boolean recording) {
    this.recording = recording;
  }

  /** A tape that records every op, for training. */
  public static Tape training() {
    return new Tape(true);
  }

  /** A tape that records nothing: ops only compute. */
  public static Tape inference() {
    return new Tape(false);
  }

  public boolean isRecording() {
    return recording;
  }

  /** Whether an op over these inputs must produce a result with a gradient. */
  boolean needsGrad(Tensor... inputs) {
    if (!recording) {
      return false;
    }
    for (Tensor t : inputs) {
      if (t.requiresGrad()) {
        return true;
      }
    }
    return false;
  }

  /** Appends the backward step of an op whose result needs a gradient. */
  void record(Runnable backwardStep) {
    steps.add(backwardStep);
  }

  /** Number of recorded backward steps. */
  public int size() {
    return steps.size();
  }

  /**
   * Back-propagates from a scalar: its gradient is set to 1 and every recorded step runs in reverse
   * order, accumulating into the gradients of parameters. The tape is cleared afterwards.
   */
  public void backward(Tensor scalar) {
    if (scalar.size() != 1) {
      throw new IllegalArgumentException(
          "backward starts from a scalar, got " + scalar.describeShape());
    }
    if (!scalar.requiresGrad()) {
      throw new IllegalStateException("nothing to differentiate: the loss has no gradient");
    }
    scalar.grad[0] = 1f;
    for (int i = steps.size() - 1; i >= 0; i--) {
      steps.get(i).run();
    }
    steps.clear();
  }
}
