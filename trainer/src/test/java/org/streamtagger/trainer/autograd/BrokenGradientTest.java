package org.streamtagger.trainer.autograd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.streamtagger.trainer.testing.GradientCheck;

/** The gradient check is only worth something if it fails on a wrong gradient. */
class BrokenGradientTest {

  /** tanh whose backward forgets the square: {@code 1 - y} instead of {@code 1 - y²}. */
  private static Tensor tanhWithWrongGradient(Tape tape, Tensor x) {
    Tensor out = Tensor.result(tape.needsGrad(x), x.shape());
    for (int i = 0; i < out.data.length; i++) {
      out.data[i] = (float) Math.tanh(x.data[i]);
    }
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            for (int i = 0; i < out.grad.length; i++) {
              x.grad[i] += out.grad[i] * (1f - out.data[i]);
            }
          });
    }
    return out;
  }

  /** An LSTM-like gradient that is only 10% too large. */
  private static Tensor scaledGradient(Tape tape, Tensor x) {
    Tensor out = Tensor.result(tape.needsGrad(x), x.shape());
    for (int i = 0; i < out.data.length; i++) {
      out.data[i] = Ops.sigmoid(x.data[i]);
    }
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            for (int i = 0; i < out.grad.length; i++) {
              float y = out.data[i];
              x.grad[i] += 1.1f * out.grad[i] * y * (1f - y);
            }
          });
    }
    return out;
  }

  @Test
  void aMissingSquareIsCaught() {
    Tensor x = GradientCheck.input(1, 2f, 4, 4);
    assertFalse(GradientCheck.mismatches(t -> tanhWithWrongGradient(t, x), x).isEmpty());
  }

  @Test
  void aGradientTenPercentOffIsCaught() {
    Tensor x = GradientCheck.input(2, 2f, 4, 4);
    assertFalse(GradientCheck.mismatches(t -> scaledGradient(t, x), x).isEmpty());
  }

  @Test
  void theCorrectVersionsPass() {
    Tensor x = GradientCheck.input(2, 2f, 4, 4);
    assertTrue(GradientCheck.mismatches(t -> Ops.tanh(t, x), x).isEmpty());
    assertTrue(GradientCheck.mismatches(t -> Ops.sigmoid(t, x), x).isEmpty());
  }
}
