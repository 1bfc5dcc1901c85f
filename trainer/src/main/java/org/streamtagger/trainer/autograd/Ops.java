package org.streamtagger.trainer.autograd;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The differentiable ops, each forward followed by its backward step. Row-wise ops treat a tensor
 * as {@code [rows, lastDim]}, so they work on any rank.
 */
public final class Ops {
  private Ops() {}

  /** Rows {@code ids} of {@code table[V, D]}: {@code [ids.length, D]}. The gradient is sparse. */
  public static Tensor embedding(Tape tape, Tensor table, int[] ids) {
    requireRank(table, 2, "embedding table");
    int vocab = table.dim(0);
    int d = table.dim(1);
    Tensor out = Tensor.result(tape.needsGrad(table), ids.length, d);
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocab) {
        throw new IndexOutOfBoundsException(
            "id " + ids[i] + " outside an embedding table of " + vocab + " rows");
      }
      System.arraycopy(table.data, ids[i] * d, out.data, i * d, d);
    }
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            for (int i = 0; i < ids.length; i++) {
              int row = ids[i] * d;
              for (int j = 0; j < d; j++) {
                table.grad[row + j] += out.grad[i * d + j];
              }
              if (table.isRowSparse()) {
                table.touchedRows().add(ids[i]);
              }
            }
          });
    }
    return out;
  }

  /** Matrix product {@code a[M, K] · b[K, N]}. */
  public static Tensor matmul(Tape tape, Tensor a, Tensor b) {
    requireRank(a, 2, "matmul left operand");
    requireRank(b, 2, "matmul right operand");
    int m = a.dim(0);
    int k = a.dim(1);
    int n = b.dim(1);
    if (b.dim(0) != k) {
      throw shapeMismatch("matmul", a, b);
    }
    Tensor out = Tensor.result(tape.needsGrad(a, b), m, n);
    Gemm.ab(a.data, 0, b.data, 0, out.data, 0, m, n, k);
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            if (a.requiresGrad()) {
              Gemm.abT(out.grad, 0, b.data, 0, a.grad, 0, m, k, n); // dA = dC · Bᵀ
            }
            if (b.requiresGrad()) {
              Gemm.aTb(a.data, 0, out.grad, 0, b.grad, 0, k, n, m); // dB = Aᵀ · dC
            }
          });
    }
    return out;
  }

  /** Affine map {@code x[N, I] · w[O, I]ᵀ + b[O]} (PyTorch's {@code nn.Linear} layout). */
  public static Tensor linear(Tape tape, Tensor x, Tensor w, Tensor b) {
    int in = w.dim(1);
    int outDim = w.dim(0);
    if (x.dim(-1) != in || b.size() != outDim) {
      throw new IllegalArgumentException(
          "linear: input "
              + x.describeShape()
              + ", weight "
              + w.describeShape()
              + ", bias "
              + b.describeShape()
              + " do not fit");
    }
    int rows = x.size() / in;
    int[] shape = x.shape();
    shape[shape.length - 1] = outDim;
    Tensor out = Tensor.result(tape.needsGrad(x, w, b), shape);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(b.data, 0, out.data, r * outDim, outDim);
    }
    Gemm.abT(x.data, 0, w.data, 0, out.data, 0, rows, outDim, in);
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            if (x.requiresGrad()) {
              Gemm.ab(out.grad, 0, w.data, 0, x.grad, 0, rows, in, outDim);
            }
            if (w.requiresGrad()) {
              Gemm.aTb(out.grad, 0, x.data, 0, w.grad, 0, outDim, in, rows);
            }
            if (b.requiresGrad()) {
              for (int r = 0; r < rows; r++) {
                for (int j = 0; j < outDim; j++) {
                  b.grad[j] += out.grad[r * outDim + j];
                }
              }
            }
          });
    }
    return out;
  }

  /**
   * Places row {@code i} of {@code src[N, D]} at row {@code rows[i]} of a zero {@code [total, D]}
   * result (e.g. per-word features into a padded {@code [batch * time, D]} layout).
   */
  public static Tensor scatterRows(Tape tape, Tensor src, int[] rows, int total) {
    int d = src.dim(-1);
    if (rows.length * d != src.size()) {
      throw new IllegalArgumentException(
          "scatterRows: " + rows.length + " targets for " + src.describeShape());
    }
    Tensor out = Tensor.result(tape.needsGrad(src), total, d);
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0 || rows[i] >= total) {
        throw new IndexOutOfBoundsException("row " + rows[i] + " outside " + total);
      }
      System.arraycopy(src.data, i * d, out.data, rows[i] * d, d);
    }
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            for (int i = 0; i < rows.length; i++) {
              for (int j = 0; j < d; j++) {
                src.grad[i * d + j] += out.grad[rows[i] * d + j];
              }
            }
          });
    }
    return out;
  }

  /** Elementwise {@code a + b} (same shapes). */
  public static Tensor add(Tape tape, Tensor a, Tensor b) {
    requireSameSize("add", a, b);
    Tensor out = Tensor.result(tape.needsGrad(a, b), a.shape());
    for (int i = 0; i < out.data.length; i++) {
      out.data[i] = a.data[i] + b.data[i];
    }
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            accumulate(a, out.grad);
            accumulate(b, out.grad);
          });
    }
    return out;
  }

  /** Elementwise {@code a * b} (same shapes). */
  public static Tensor mul(Tape tape, Tensor a, Tensor b) {
    requireSameSize("mul", a, b);
    Tensor out = Tensor.result(tape.needsGrad(a, b), a.shape());
    for (int i = 0; i < out.data.length; i++) {
      out.data[i] = a.data[i] * b.data[i];
    }
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            for (int i = 0; i < out.grad.length; i++) {
              float g = out.grad[i];
              if (a.requiresGrad()) {
                a.grad[i] += g * b.data[i];
              }
              if (b.requiresGrad()) {
                b.grad[i] += g * a.data[i];
              }
            }
          });
    }
    return out;
  }

  /** Sum of all values: a scalar {@code [1]}. */
  public static Tensor sum(Tape tape, Tensor x) {
    Tensor out = Tensor.result(tape.needsGrad(x), 1);
    double s = 0;
    for (float v : x.data) {
      s += v;
    }
    out.data[0] = (float) s;
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            for (int i = 0; i < x.grad.length; i++) {
              x.grad[i] += out.grad[0];
            }
          });
    }
    return out;
  }

  /** Elementwise logistic sigmoid. */
  public static Tensor sigmoid(Tape tape, Tensor x) {
    Tensor out = Tensor.result(tape.needsGrad(x), x.shape());
    for (int i = 0; i < out.data.length; i++) {
      out.data[i] = sigmoid(x.data[i]);
    }
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            for (int i = 0; i < out.grad.length; i++) {
              float y = out.data[i];
              x.grad[i] += out.grad[i] * y * (1f - y);
            }
          });
    }
    return out;
  }

  /** Elementwise hyperbolic tangent. */
  public static Tensor tanh(Tape tape, Tensor x) {
    Tensor out = Tensor.result(tape.needsGrad(x), x.shape());
    for (int i = 0; i < out.data.length; i++) {
      out.data[i] = (float) Math.tanh(x.data[i]);
    }
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            for (int i = 0; i < out.grad.length; i++) {
              float y = out.data[i];
              x.grad[i] += out.grad[i] * (1f - y * y);
            }
          });
    }
    return out;
  }

  /** Concatenation along the last dimension of tensors with the same leading dimensions. */
  public static Tensor concat(Tape tape, Tensor... parts) {
    int rows = parts[0].size() / parts[0].dim(-1);
    int width = 0;
    for (Tensor p : parts) {
      if (p.size() / p.dim(-1) != rows) {
        throw new IllegalArgumentException(
            "concat: "
                + p.describeShape()
                + " has another number of rows than "
                + parts[0].describeShape());
      }
      width += p.dim(-1);
    }
    int[] shape = parts[0].shape();
    shape[shape.length - 1] = width;
    Tensor out = Tensor.result(tape.needsGrad(parts), shape);
    int total = width;
    int col = 0;
    for (Tensor p : parts) {
      int w = p.dim(-1);
      for (int r = 0; r < rows; r++) {
        System.arraycopy(p.data, r * w, out.data, r * total + col, w);
      }
      col += w;
    }
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            int c = 0;
            for (Tensor p : parts) {
              int w = p.dim(-1);
              if (p.requiresGrad()) {
                for (int r = 0; r < rows; r++) {
                  for (int j = 0; j < w; j++) {
                    p.grad[r * w + j] += out.grad[r * total + c + j];
                  }
                }
              }
              c += w;
            }
          });
    }
    return out;
  }

  /** Columns {@code [from, to)} of the last dimension. */
  public static Tensor slice(Tape tape, Tensor x, int from, int to) {
    int width = x.dim(-1);
    if (from < 0 || to > width || from >= to) {
      throw new IllegalArgumentException(
          "slice [" + from + ", " + to + ") outside last dimension of " + x.describeShape());
    }
    int rows = x.size() / width;
    int w = to - from;
    int[] shape = x.shape();
    shape[shape.length - 1] = w;
    Tensor out = Tensor.result(tape.needsGrad(x), shape);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(x.data, r * width + from, out.data, r * w, w);
    }
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            for (int r = 0; r < rows; r++) {
              for (int j = 0; j < w; j++) {
                x.grad[r * width + from + j] += out.grad[r * w + j];
              }
            }
          });
    }
    return out;
  }

  /** Log-softmax over the last dimension, computed stably (max subtracted). */
  public static Tensor logSoftmax(Tape tape, Tensor x) {
    int c = x.dim(-1);
    int rows = x.size() / c;
    Tensor out = Tensor.result(tape.needsGrad(x), x.shape());
    for (int r = 0; r < rows; r++) {
      int o = r * c;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        max = Math.max(max, x.data[o + j]);
      }
      double sum = 0;
      for (int j = 0; j < c; j++) {
        sum += Math.exp(x.data[o + j] - max);
      }
      float logZ = max + (float) Math.log(sum);
      for (int j = 0; j < c; j++) {
        out.data[o + j] = x.data[o + j] - logZ;
      }
    }
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            for (int r = 0; r < rows; r++) {
              int o = r * c;
              float gsum = 0f;
              for (int j = 0; j < c; j++) {
                gsum += out.grad[o + j];
              }
              for (int j = 0; j < c; j++) {
                x.grad[o + j] += out.grad[o + j] - (float) Math.exp(out.data[o + j]) * gsum;
              }
            }
          });
    }
    return out;
  }

  /**
   * Mean negative log-likelihood of {@code targets} under {@code logProbs[N, C]}; a negative target
   * marks padding and is left out of the mean.
   */
  public static Tensor nllLoss(Tape tape, Tensor logProbs, int[] targets) {
    int c = logProbs.dim(-1);
    int rows = logProbs.size() / c;
    if (targets.length != rows) {
      throw new IllegalArgumentException(
          "nll: " + targets.length + " targets for " + rows + " rows of scores");
    }
    int counted = 0;
    double sum = 0;
    for (int r = 0; r < rows; r++) {
      if (targets[r] >= c) {
        throw new IndexOutOfBoundsException("target " + targets[r] + " outside " + c + " classes");
      }
      if (targets[r] >= 0) {
        sum -= logProbs.data[r * c + targets[r]];
        counted++;
      }
    }
    Tensor out = Tensor.result(tape.needsGrad(logProbs), 1);
    int n = counted;
    out.data[0] = n == 0 ? 0f : (float) (sum / n);
    if (out.requiresGrad() && n > 0) {
      tape.record(
          () -> {
            float g = out.grad[0] / n;
            for (int r = 0; r < rows; r++) {
              if (targets[r] >= 0) {
                logProbs.grad[r * c + targets[r]] -= g;
              }
            }
          });
    }
    return out;
  }

  /**
   * The loss of distillation (Hinton et al., 2015): {@code softWeight} times the cross-entropy of
   * the student's distribution at temperature {@code T}, {@code softmax(logProbs / T)}, against the
   * teacher's at the same temperature, scaled by {@code T^2} (so that its gradient keeps its size
   * as {@code T} changes), plus {@code 1 - softWeight} times the gold tags' negative
   * log-likelihood; both are means over the rows whose target is not negative (padding).
   *
   * @param logProbs the student's log-probabilities {@code [N, C]} (any shift of its scores)
   * @param teacher the teacher's probabilities at temperature {@code T}, {@code [N, C]}, rows
   *     summing to 1 (padding rows are not read)
   * @param targets the gold class of each row, negative for padding
   */
  public static Tensor distillationLoss(
      Tape tape,
      Tensor logProbs,
      float[] teacher,
      int[] targets,
      float temperature,
      float softWeight) {
    int c = logProbs.dim(-1);
    int rows = logProbs.size() / c;
    if (targets.length != rows || teacher.length != logProbs.size()) {
      throw new IllegalArgumentException(
          "distillation: "
              + targets.length
              + " targets and "
              + teacher.length / Math.max(1, c)
              + " teacher rows for "
              + rows
              + " rows of scores");
    }
    if (!(temperature > 0f) || !(softWeight >= 0f && softWeight <= 1f)) {
      throw new IllegalArgumentException(
          "distillation: temperature must be > 0 and the soft weight in [0, 1], got "
              + temperature
              + " and "
              + softWeight);
    }
    float[] q = new float[logProbs.size()]; // the student's distribution at temperature T
    int counted = 0;
    double soft = 0;
    double hard = 0;
    for (int r = 0; r < rows; r++) {
      if (targets[r] < 0) {
        continue;
      }
      if (targets[r] >= c) {
        throw new IndexOutOfBoundsException("target " + targets[r] + " outside " + c + " classes");
      }
      int o = r * c;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        max = Math.max(max, logProbs.data[o + j] / temperature);
      }
      double sum = 0;
      for (int j = 0; j < c; j++) {
        sum += Math.exp(logProbs.data[o + j] / temperature - max);
      }
      double logZ = max + Math.log(sum);
      for (int j = 0; j < c; j++) {
        double logQ = logProbs.data[o + j] / temperature - logZ;
        q[o + j] = (float) Math.exp(logQ);
        soft -= teacher[o + j] * logQ;
      }
      hard -= logProbs.data[o + targets[r]];
      counted++;
    }
    int n = counted;
    Tensor out = Tensor.result(tape.needsGrad(logProbs), 1);
    double t2 = (double) temperature * temperature;
    out.data[0] = n == 0 ? 0f : (float) ((softWeight * t2 * soft + (1 - softWeight) * hard) / n);
    if (out.requiresGrad() && n > 0) {
      tape.record(
          () -> {
            // d/d logProbs_j of T^2 * CE(p, softmax(logProbs / T)) is T * (q_j - p_j).
            float gSoft = out.grad[0] * softWeight * temperature / n;
            float gHard = out.grad[0] * (1 - softWeight) / n;
            for (int r = 0; r < rows; r++) {
              if (targets[r] < 0) {
                continue;
              }
              int o = r * c;
              for (int j = 0; j < c; j++) {
                logProbs.grad[o + j] += gSoft * (q[o + j] - teacher[o + j]);
              }
              logProbs.grad[o + targets[r]] -= gHard;
            }
          });
    }
    return out;
  }

  /**
   * Inverted dropout: each value is zeroed with probability {@code p} and the survivors scaled by
   * {@code 1/(1-p)}, so inference needs no rescaling. Identity when not recording or {@code p=0}.
   */
  public static Tensor dropout(Tape tape, Tensor x, float p, RandomGenerator random) {
    if (!tape.isRecording() || p == 0f) {
      return x;
    }
    if (p < 0f || p >= 1f) {
      throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
    }
    float scale = 1f / (1f - p);
    // Four 16-bit uniform draws per random long: p is honoured to 1/65536.
    int threshold = Math.round(p * 65536f);
    float[] mask = new float[x.size()];
    Tensor out = Tensor.result(tape.needsGrad(x), x.shape());
    long bits = 0;
    for (int i = 0; i < mask.length; i++) {
      if ((i & 3) == 0) {
        bits = random.nextLong();
      }
      mask[i] = (int) (bits & 0xFFFF) < threshold ? 0f : scale;
      bits >>>= 16;
      out.data[i] = x.data[i] * mask[i];
    }
    if (out.requiresGrad()) {
      tape.record(
          () -> {
            for (int i = 0; i < mask.length; i++) {
              x.grad[i] += out.grad[i] * mask[i];
            }
          });
    }
    return out;
  }

  static float sigmoid(float v) {
    return 1f / (1f + (float) Math.exp(-v));
  }

  private static void accumulate(Tensor target, float[] g) {
    if (target.requiresGrad()) {
      for (int i = 0; i < g.length; i++) {
        target.grad[i] += g[i];
      }
    }
  }

  private static void requireRank(Tensor t, int rank, String what) {
    if (t.rank() != rank) {
      throw new IllegalArgumentException(
          what + " must have rank " + rank + ", got " + t.describeShape());
    }
  }

  private static void requireSameSize(String op, Tensor a, Tensor b) {
    if (!Arrays.equals(a.shape(), b.shape())) {
      throw shapeMismatch(op, a, b);
    }
  }

  private static IllegalArgumentException shapeMismatch(String op, Tensor a, Tensor b) {
    return new IllegalArgumentException(
        op + ": shapes " + a.describeShape() + " and " + b.describeShape() + " do not fit");
  }
}
