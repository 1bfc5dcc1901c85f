package org.streamtagger.trainer.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.streamtagger.trainer.testing.GradientCheck;

/** The fused LSTM against the same cell composed of primitive ops, one sequence at a time. */
class LstmSequenceTest {
  private static final int H = 4;
  private static final int I = 3;

  private final Tensor wIh = GradientCheck.input(1, 0.7f, 4 * H, I);
  private final Tensor wHh = GradientCheck.input(2, 0.7f, 4 * H, H);
  private final Tensor bIh = GradientCheck.input(3, 0.5f, 4 * H);
  private final Tensor bHh = GradientCheck.input(4, 0.5f, 4 * H);

  /** Runs the cell with primitive ops over rows {@code [0, len)} of {@code x[T, I]}. */
  private Tensor[] composed(Tape tape, Tensor x, int len, boolean reverse) {
    Tensor h = Tensor.zeros(1, H);
    Tensor c = Tensor.zeros(1, H);
    Tensor[] outs = new Tensor[len];
    for (int s = 0; s < len; s++) {
      int t = reverse ? len - 1 - s : s;
      Tensor xt = Tensor.of(java.util.Arrays.copyOfRange(x.data, t * I, (t + 1) * I), 1, I);
      Tensor gates = Ops.add(tape, Ops.linear(tape, xt, wIh, bIh), Ops.linear(tape, h, wHh, bHh));
      Tensor i = Ops.sigmoid(tape, Ops.slice(tape, gates, 0, H));
      Tensor f = Ops.sigmoid(tape, Ops.slice(tape, gates, H, 2 * H));
      Tensor g = Ops.tanh(tape, Ops.slice(tape, gates, 2 * H, 3 * H));
      Tensor o = Ops.sigmoid(tape, Ops.slice(tape, gates, 3 * H, 4 * H));
      c = Ops.add(tape, Ops.mul(tape, f, c), Ops.mul(tape, i, g));
      h = Ops.mul(tape, o, Ops.tanh(tape, c));
      outs[t] = h;
    }
    return new Tensor[] {outs.length == 0 ? null : Ops.concat(tape, outs), h};
  }

  @Test
  void fusedSequenceEqualsComposedCellsForEveryLengthAndDirection() {
    int batch = 3;
    int time = 5;
    int[] lengths = {5, 2, 3};
    Tensor x = GradientCheck.input(5, 1f, batch, time, I);
    for (boolean reverse : new boolean[] {false, true}) {
      LstmSequence.Result fused =
          LstmSequence.run(Tape.inference(), x, lengths, wIh, wHh, bIh, bHh, reverse);
      for (int b = 0; b < batch; b++) {
        Tensor xb =
            Tensor.of(
                java.util.Arrays.copyOfRange(x.data, b * time * I, (b + 1) * time * I), time, I);
        Tensor[] ref = composed(Tape.inference(), xb, lengths[b], reverse);
        for (int t = 0; t < time; t++) {
          for (int j = 0; j < H; j++) {
            float expected = t < lengths[b] ? ref[0].get(0, t * H + j) : 0f;
            assertEquals(
                expected,
                fused.outputs().get(b, t, j),
                1e-6,
                "output b=" + b + " t=" + t + " reverse=" + reverse);
          }
        }
        for (int j = 0; j < H; j++) {
          assertEquals(ref[1].get(0, j), fused.last().get(b, j), 1e-6, "last state b=" + b);
        }
      }
    }
  }

  @Test
  void bidirectionalOnTwoThreadsEqualsTwoSinglePasses() {
    int[] lengths = {3, 5, 1};
    Tensor x = GradientCheck.input(7, 1f, 3, 5, I);
    Tensor wIh2 = GradientCheck.input(8, 0.7f, 4 * H, I);
    Tensor wHh2 = GradientCheck.input(9, 0.7f, 4 * H, H);
    var fw = new LstmSequence.Weights(wIh, wHh, bIh, bHh, false);
    var bw = new LstmSequence.Weights(wIh2, wHh2, bIh, bHh, true);
    LstmSequence.Result f =
        LstmSequence.run(Tape.inference(), x, lengths, wIh, wHh, bIh, bHh, false);
    LstmSequence.Result b =
        LstmSequence.run(Tape.inference(), x, lengths, wIh2, wHh2, bIh, bHh, true);
    try {
      Parallel.setThreads(2);
      LstmSequence.Result both =
          LstmSequence.runBidirectional(Tape.inference(), x, lengths, fw, bw);
      for (int r = 0; r < 15; r++) {
        for (int j = 0; j < H; j++) {
          assertEquals(f.outputs().data[r * H + j], both.outputs().data[r * 2 * H + j], 0f);
          assertEquals(b.outputs().data[r * H + j], both.outputs().data[r * 2 * H + H + j], 0f);
        }
      }
      for (int r = 0; r < 3; r++) {
        for (int j = 0; j < H; j++) {
          assertEquals(f.last().data[r * H + j], both.last().data[r * 2 * H + j], 0f);
          assertEquals(b.last().data[r * H + j], both.last().data[r * 2 * H + H + j], 0f);
        }
      }
      var bad =
          GradientCheck.mismatches(
              t -> LstmSequence.runBidirectional(t, x, lengths, fw, bw).outputs(),
              x,
              wIh,
              wHh,
              bIh,
              bHh,
              wIh2,
              wHh2);
      assertTrue(bad.isEmpty(), () -> "mismatches: " + bad);
    } finally {
      Parallel.setThreads(1);
    }
  }

  @Test
  void fusedGradientsEqualComposedGradients() {
    int time = 4;
    Tensor x = GradientCheck.input(6, 1f, 1, time, I);
    Tensor[] params = {wIh, wHh, bIh, bHh};
    float[][] fusedGrads = new float[4][];
    Tape tape = Tape.training();
    LstmSequence.Result fused =
        LstmSequence.run(tape, x, new int[] {time}, wIh, wHh, bIh, bHh, false);
    tape.backward(Ops.sum(tape, Ops.tanh(tape, fused.outputs())));
    for (int k = 0; k < 4; k++) {
      fusedGrads[k] = params[k].grad.clone();
      params[k].zeroGrad();
    }
    Tape tape2 = Tape.training();
    Tensor[] ref = composed(tape2, x.view(time, I), time, false);
    tape2.backward(Ops.sum(tape2, Ops.tanh(tape2, ref[0])));
    for (int k = 0; k < 4; k++) {
      for (int i = 0; i < fusedGrads[k].length; i++) {
        assertEquals(params[k].grad[i], fusedGrads[k][i], 1e-5, "parameter " + k + " index " + i);
      }
    }
  }
}
