package org.streamtagger.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamtagger.trainer.autograd.Ops;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;

class OptimizersTest {

  @Test
  void sgdStepsAgainstTheGradient() {
    Tensor p = Tensor.parameter(2);
    p.data[0] = 1f;
    p.data[1] = -2f;
    p.grad[0] = 0.5f;
    p.grad[1] = -1f;
    new Sgd(List.of(p), 0.1f).step();
    assertEquals(0.95f, p.data[0], 1e-7);
    assertEquals(-1.9f, p.data[1], 1e-7);
  }

  @Test
  void sparseSgdEqualsDenseSgd() {
    Tensor sparse = Tensor.rowSparseParameter(4, 2);
    Tensor dense = Tensor.parameter(4, 2);
    for (int i = 0; i < 8; i++) {
      sparse.data[i] = dense.data[i] = i * 0.1f;
    }
    for (Tensor t : List.of(sparse, dense)) {
      Tape tape = Tape.training();
      Tensor y = Ops.embedding(tape, t, new int[] {3, 1, 3});
      tape.backward(Ops.sum(tape, Ops.mul(tape, y, y)));
      Sgd sgd = new Sgd(List.of(t), 0.5f);
      sgd.step();
      sgd.zeroGrad();
    }
    for (int i = 0; i < 8; i++) {
      assertEquals(dense.data[i], sparse.data[i], 0f);
      assertEquals(0f, sparse.grad[i]);
    }
  }

  @Test
  void adamFirstStepMovesEachValueByTheLearningRate() {
    // With bias correction, Adam's first step is lr * g / |g| (+eps).
    Tensor p = Tensor.parameter(3);
    p.grad[0] = 4f;
    p.grad[1] = -0.001f;
    p.grad[2] = 0f;
    new Adam(List.of(p), 0.01f).step();
    assertEquals(-0.01f, p.data[0], 1e-6);
    assertEquals(0.01f, p.data[1], 1e-4);
    assertEquals(0f, p.data[2], 0f);
  }

  @Test
  void adamMinimisesAQuadratic() {
    Tensor p = Tensor.parameter(1);
    p.data[0] = 3f;
    Adam adam = new Adam(List.of(p), 0.1f);
    for (int i = 0; i < 500; i++) {
      adam.zeroGrad();
      p.grad[0] = 2 * (p.data[0] - 1f);
      adam.step();
    }
    assertEquals(1f, p.data[0], 1e-2);
  }

  @Test
  void clippingScalesToTheLimitAndReportsTheNorm() {
    Tensor a = Tensor.parameter(2);
    Tensor b = Tensor.parameter(1);
    a.grad[0] = 3f;
    a.grad[1] = 0f;
    b.grad[0] = 4f;
    double norm = GradientClipping.clipGlobalNorm(List.of(a, b), 1.0);
    assertEquals(5.0, norm, 1e-6);
    assertEquals(0.6f, a.grad[0], 1e-5);
    assertEquals(0.8f, b.grad[0], 1e-5);
    assertEquals(1.0, GradientClipping.clipGlobalNorm(List.of(a, b), 10.0), 1e-5);
  }
}
