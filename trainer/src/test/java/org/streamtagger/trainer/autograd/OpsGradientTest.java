package org.streamtagger.trainer.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.streamtagger.trainer.testing.GradientCheck.input;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.streamtagger.trainer.testing.GradientCheck;

/** Every op's gradient against finite differences. */
class OpsGradientTest {

  private static void assertGradientsMatch(Function<Tape, Tensor> f, Tensor... inputs) {
    List<GradientCheck.Mismatch> bad = GradientCheck.mismatches(f, inputs);
    assertTrue(bad.isEmpty(), () -> "gradient mismatches: " + bad);
  }

  @Test
  void embeddingWithRepeatedIds() {
    Tensor table = input(1, 1f, 5, 3);
    int[] ids = {4, 0, 4, 2};
    assertGradientsMatch(t -> Ops.embedding(t, table, ids), table);
  }

  @Test
  void embeddingOfRowSparseTableTracksTouchedRows() {
    Tensor table = Tensor.rowSparseParameter(6, 2);
    Tape tape = Tape.training();
    tape.backward(Ops.sum(tape, Ops.embedding(tape, table, new int[] {5, 1, 5})));
    assertEquals(2, table.touchedRows().size());
    assertEquals(2f, table.grad[10]);
    assertEquals(1f, table.grad[2]);
    table.zeroGrad();
    assertEquals(0, table.touchedRows().size());
    assertEquals(0f, table.grad[10]);
  }

  @Test
  void matmul() {
    Tensor a = input(2, 1f, 3, 4);
    Tensor b = input(3, 1f, 4, 5);
    assertGradientsMatch(t -> Ops.matmul(t, a, b), a, b);
  }

  @Test
  void linear() {
    Tensor x = input(4, 1f, 2, 3, 4);
    Tensor w = input(5, 1f, 6, 4);
    Tensor b = input(6, 1f, 6);
    assertGradientsMatch(t -> Ops.linear(t, x, w, b), x, w, b);
  }

  @Test
  void addAndMul() {
    Tensor a = input(7, 1f, 3, 4);
    Tensor b = input(8, 1f, 3, 4);
    assertGradientsMatch(t -> Ops.add(t, a, b), a, b);
    assertGradientsMatch(t -> Ops.mul(t, a, b), a, b);
    assertGradientsMatch(t -> Ops.mul(t, a, a), a);
  }

  @Test
  void sigmoidTanhAndSum() {
    Tensor x = input(9, 3f, 4, 5);
    assertGradientsMatch(t -> Ops.sigmoid(t, x), x);
    assertGradientsMatch(t -> Ops.tanh(t, x), x);
    assertGradientsMatch(t -> Ops.sum(t, Ops.tanh(t, x)), x);
  }

  @Test
  void concatAndSlice() {
    Tensor a = input(10, 1f, 2, 3, 2);
    Tensor b = input(11, 1f, 2, 3, 4);
    assertGradientsMatch(t -> Ops.concat(t, a, b), a, b);
    assertGradientsMatch(t -> Ops.slice(t, b, 1, 3), b);
  }

  @Test
  void scatterRows() {
    Tensor src = input(20, 1f, 3, 2);
    assertGradientsMatch(t -> Ops.scatterRows(t, src, new int[] {4, 0, 2}, 6), src);
    Tensor out = Ops.scatterRows(Tape.inference(), src, new int[] {4, 0, 2}, 6);
    assertEquals(src.get(0, 1), out.get(4, 1));
    assertEquals(0f, out.get(1, 0));
  }

  @Test
  void logSoftmax() {
    Tensor x = input(12, 4f, 3, 7);
    assertGradientsMatch(t -> Ops.logSoftmax(t, x), x);
  }

  @Test
  void nllLossSkipsPaddingTargets() {
    Tensor x = input(13, 2f, 4, 5);
    int[] targets = {3, -1, 0, 4};
    assertGradientsMatch(t -> Ops.nllLoss(t, Ops.logSoftmax(t, x), targets), x);
    Tensor lp = Ops.logSoftmax(Tape.inference(), x);
    double expected = -(lp.get(0, 3) + lp.get(2, 0) + lp.get(3, 4)) / 3.0;
    assertEquals(expected, Ops.nllLoss(Tape.inference(), lp, targets).data[0], 1e-6);
  }

  @Test
  void distillationLossAtSeveralTemperaturesAndWeights() {
    Tensor x = input(15, 2f, 4, 5);
    int[] targets = {3, -1, 0, 4};
    float[] teacher = new float[20];
    SplittableRandom random = new SplittableRandom(16);
    for (int r = 0; r < 4; r++) {
      double sum = 0;
      for (int j = 0; j < 5; j++) {
        teacher[r * 5 + j] = (float) random.nextDouble(0.05, 1);
        sum += teacher[r * 5 + j];
      }
      for (int j = 0; j < 5; j++) {
        teacher[r * 5 + j] /= (float) sum;
      }
    }
    for (float temperature : new float[] {0.5f, 1f, 2f, 4f}) {
      for (float weight : new float[] {0f, 0.5f, 1f}) {
        assertGradientsMatch(
            t ->
                Ops.distillationLoss(
                    t, Ops.logSoftmax(t, x), teacher, targets, temperature, weight),
            x);
      }
    }
    // Weight 0 is the gold tags' loss alone; weight 1 at T = 1 the cross-entropy with the teacher.
    Tensor lp = Ops.logSoftmax(Tape.inference(), x);
    assertEquals(
        Ops.nllLoss(Tape.inference(), lp, targets).data[0],
        Ops.distillationLoss(Tape.inference(), lp, teacher, targets, 3f, 0f).data[0],
        1e-6);
    double ce = 0;
    for (int r : new int[] {0, 2, 3}) {
      for (int j = 0; j < 5; j++) {
        ce -= teacher[r * 5 + j] * lp.get(r, j);
      }
    }
    assertEquals(
        ce / 3, Ops.distillationLoss(Tape.inference(), lp, teacher, targets, 1f, 1f).data[0], 1e-5);
    assertThrows(
        IllegalArgumentException.class,
        () -> Ops.distillationLoss(Tape.inference(), lp, teacher, targets, 0f, 0.5f));
  }

  @Test
  void dropoutWithAFixedMask() {
    Tensor x = input(14, 1f, 6, 5);
    assertGradientsMatch(t -> Ops.dropout(t, x, 0.4f, new SplittableRandom(3)), x);
    Tensor y = Ops.dropout(Tape.training(), x, 0.4f, new SplittableRandom(3));
    int zeros = 0;
    for (int i = 0; i < y.size(); i++) {
      if (y.data[i] == 0f) {
        zeros++;
      } else {
        assertEquals(x.data[i] / 0.6f, y.data[i], 1e-6);
      }
    }
    assertTrue(zeros > 0 && zeros < y.size(), "some but not all values dropped: " + zeros);
    assertEquals(x, Ops.dropout(Tape.inference(), x, 0.4f, new SplittableRandom(3)));
  }

  @Test
  void lstmSequenceForwardAndReverseWithRaggedLengths() {
    int hidden = 3;
    Tensor x = input(15, 1f, 3, 4, 2);
    Tensor wIh = input(16, 0.6f, 4 * hidden, 2);
    Tensor wHh = input(17, 0.6f, 4 * hidden, hidden);
    Tensor bIh = input(18, 0.5f, 4 * hidden);
    Tensor bHh = input(19, 0.5f, 4 * hidden);
    int[] lengths = {2, 4, 1};
    for (boolean reverse : new boolean[] {false, true}) {
      // Both outputs feed the loss, so both backward paths are exercised.
      Function<Tape, Tensor> f =
          t -> {
            LstmSequence.Result r = LstmSequence.run(t, x, lengths, wIh, wHh, bIh, bHh, reverse);
            return Ops.concat(
                t, r.outputs().view(1, 12 * hidden), Ops.tanh(t, r.last()).view(1, 3 * hidden));
          };
      assertGradientsMatch(f, x, wIh, wHh, bIh, bHh);
    }
  }

  @Test
  void gradientsOfInputsWithoutGradAreNotRecorded() {
    Tensor a = Tensor.of(new float[] {1, 2}, 1, 2);
    Tape tape = Tape.training();
    Ops.tanh(tape, a);
    assertEquals(0, tape.size());
    assertFalse(Ops.tanh(tape, a).requiresGrad());
  }
}
