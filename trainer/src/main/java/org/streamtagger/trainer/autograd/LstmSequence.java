package org.streamtagger.trainer.autograd;

import java.util.Arrays;

/**
 * A whole LSTM pass over a padded batch of sequences as one op with a hand-written backward (per-op
 * overhead would dominate a graph of tiny cell ops).
 *
 * <p>Cell, as in PyTorch's {@code nn.LSTM} (gate order i, f, g, o; two biases):
 *
 * <pre>
 *   [i f g o] = x_t · W_ihᵀ + b_ih + h_{t-1} · W_hhᵀ + b_hh
 *   c_t = σ(f) ⊙ c_{t-1} + σ(i) ⊙ tanh(g)
 *   h_t = σ(o) ⊙ tanh(c_t)
 * </pre>
 *
 * Sequence {@code b} has {@code lengths[b]} real steps; outputs past it stay zero and its final
 * state is the one after its last real step. A reverse pass reads each sequence from its own last
 * real step back to the first (what a packed PyTorch sequence does), so padding never leaks into
 * the states. Sequences are processed longest-first, so the still-running ones form a prefix and
 * each step's recurrent product is one matrix product.
 */
public final class LstmSequence {
  private LstmSequence() {}

  /**
   * The per-position outputs and the final hidden state of every sequence.
   *
   * @param outputs {@code [B, T, H]}, zero past each sequence's length
   * @param last {@code [B, H]}, the hidden state after each sequence's last step
   */
  public record Result(Tensor outputs, Tensor last) {}

  /**
   * Runs the LSTM.
   *
   * @param x input {@code [B, T, I]}
   * @param lengths real steps of each sequence, each in {@code 1..T}
   * @param wIh input weights {@code [4H, I]}
   * @param wHh recurrent weights {@code [4H, H]}
   * @param bIh input bias {@code [4H]}
   * @param bHh recurrent bias {@code [4H]}
   * @param reverse whether to read each sequence from its end to its start
   */
  public static Result run(
      Tape tape,
      Tensor x,
      int[] lengths,
      Tensor wIh,
      Tensor wHh,
      Tensor bIh,
      Tensor bHh,
      boolean reverse) {
    final int batch = x.dim(0);
    final int time = x.dim(1);
    final int in = x.dim(2);
    final int hidden = wHh.dim(1);
    final int gates = 4 * hidden;
    checkShapes(x, lengths, wIh, wHh, bIh, bHh, hidden);
    final int[] order = longestFirst(lengths);

    // Input projections of every position at once: [B*T, 4H].
    final float[] pre = new float[batch * time * gates];
    for (int r = 0; r < batch * time; r++) {
      for (int j = 0; j < gates; j++) {
        pre[r * gates + j] = bIh.data[j] + bHh.data[j];
      }
    }
    Gemm.abT(x.data, 0, wIh.data, 0, pre, 0, batch * time, gates, in);

    boolean grad = tape.needsGrad(x, wIh, wHh, bIh, bHh);
    Tensor outputs = Tensor.result(grad, batch, time, hidden);
    Tensor last = Tensor.result(grad, batch, hidden);
    final float[] acts = new float[batch * time * gates]; // [B, T, 4H] σ(i) σ(f) tanh(g) σ(o)
    final float[] cells = new float[batch * time * hidden]; // [B, T, H] c_t
    final float[] hPrev = new float[batch * time * hidden]; // [B, T, H] h_{t-1} seen at t
    final float[] cPrev = new float[batch * time * hidden]; // [B, T, H] c_{t-1} seen at t
    float[] h = new float[batch * hidden]; // [B, H] in longest-first row order
    float[] c = new float[batch * hidden];
    float[] step = new float[batch * gates]; // [B, 4H] pre-activations of one step
    int maxLen = lengths[order[0]];
    for (int s = 0; s < maxLen; s++) {
      int active = activeRows(order, lengths, s);
      for (int r = 0; r < active; r++) {
        int b = order[r];
        int t = position(lengths[b], s, reverse);
        System.arraycopy(pre, (b * time + t) * gates, step, r * gates, gates);
      }
      Gemm.abT(h, 0, wHh.data, 0, step, 0, active, gates, hidden);
      for (int r = 0; r < active; r++) {
        int b = order[r];
        int t = position(lengths[b], s, reverse);
        int bt = b * time + t;
        System.arraycopy(h, r * hidden, hPrev, bt * hidden, hidden);
        System.arraycopy(c, r * hidden, cPrev, bt * hidden, hidden);
        for (int j = 0; j < hidden; j++) {
          int g0 = r * gates;
          float ig = Ops.sigmoid(step[g0 + j]);
          float fg = Ops.sigmoid(step[g0 + hidden + j]);
          float gg = (float) Math.tanh(step[g0 + 2 * hidden + j]);
          float og = Ops.sigmoid(step[g0 + 3 * hidden + j]);
          float cell = fg * c[r * hidden + j] + ig * gg;
          float hv = og * (float) Math.tanh(cell);
          c[r * hidden + j] = cell;
          h[r * hidden + j] = hv;
          int a0 = bt * gates;
          acts[a0 + j] = ig;
          acts[a0 + hidden + j] = fg;
          acts[a0 + 2 * hidden + j] = gg;
          acts[a0 + 3 * hidden + j] = og;
          cells[bt * hidden + j] = cell;
          outputs.data[bt * hidden + j] = hv;
        }
      }
    }
    for (int r = 0; r < batch; r++) {
      System.arraycopy(h, r * hidden, last.data, order[r] * hidden, hidden);
    }

    if (grad) {
      tape.record(
          () -> {
            float[] dPre = new float[batch * time * gates]; // [B, T, 4H]
            float[] dh = new float[batch * hidden]; // [B, H] longest-first rows
            float[] dc = new float[batch * hidden];
            float[] dStep = new float[batch * gates];
            for (int r = 0; r < batch; r++) {
              System.arraycopy(last.grad, order[r] * hidden, dh, r * hidden, hidden);
            }
            for (int s = maxLen - 1; s >= 0; s--) {
              int active = activeRows(order, lengths, s);
              for (int r = 0; r < active; r++) {
                int b = order[r];
                int bt = b * time + position(lengths[b], s, reverse);
                int a0 = bt * gates;
                for (int j = 0; j < hidden; j++) {
                  float ig = acts[a0 + j];
                  float fg = acts[a0 + hidden + j];
                  float gg = acts[a0 + 2 * hidden + j];
                  float og = acts[a0 + 3 * hidden + j];
                  float tc = (float) Math.tanh(cells[bt * hidden + j]);
                  float dhv = dh[r * hidden + j] + outputs.grad[bt * hidden + j];
                  float dcv = dc[r * hidden + j] + dhv * og * (1f - tc * tc);
                  float di = dcv * gg * ig * (1f - ig);
                  float df = dcv * cPrev[bt * hidden + j] * fg * (1f - fg);
                  float dg = dcv * ig * (1f - gg * gg);
                  float dout = dhv * tc * og * (1f - og);
                  dc[r * hidden + j] = dcv * fg;
                  int d0 = r * gates;
                  dStep[d0 + j] = di;
                  dStep[d0 + hidden + j] = df;
                  dStep[d0 + 2 * hidden + j] = dg;
                  dStep[d0 + 3 * hidden + j] = dout;
                }
                System.arraycopy(dStep, r * gates, dPre, a0, gates);
              }
              Arrays.fill(dh, 0, active * hidden, 0f);
              Gemm.ab(dStep, 0, wHh.data, 0, dh, 0, active, hidden, gates);
            }
            int rows = batch * time;
            if (wIh.requiresGrad()) {
              Gemm.aTb(dPre, 0, x.data, 0, wIh.grad, 0, gates, in, rows);
            }
            if (wHh.requiresGrad()) {
              Gemm.aTb(dPre, 0, hPrev, 0, wHh.grad, 0, gates, hidden, rows);
            }
            for (int r = 0; r < rows; r++) {
              for (int j = 0; j < gates; j++) {
                float g = dPre[r * gates + j];
                if (bIh.requiresGrad()) {
                  bIh.grad[j] += g;
                }
                if (bHh.requiresGrad()) {
                  bHh.grad[j] += g;
                }
              }
            }
            if (x.requiresGrad()) {
              Gemm.ab(dPre, 0, wIh.data, 0, x.grad, 0, rows, in, gates);
            }
          });
    }
    return new Result(outputs, last);
  }

  private static int position(int length, int step, boolean reverse) {
    return reverse ? length - 1 - step : step;
  }

  /** How many of the longest-first rows are still running at step {@code s}. */
  private static int activeRows(int[] order, int[] lengths, int s) {
    int k = order.length;
    while (k > 0 && lengths[order[k - 1]] <= s) {
      k--;
    }
    return k;
  }

  private static int[] longestFirst(int[] lengths) {
    Integer[] idx = new Integer[lengths.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Integer.compare(lengths[b], lengths[a]));
    int[] order = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      order[i] = idx[i];
    }
    return order;
  }

  private static void checkShapes(
      Tensor x, int[] lengths, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, int hidden) {
    if (x.rank() != 3) {
      throw new IllegalArgumentException(
          "LSTM input must be [batch, time, features], got " + x.describeShape());
    }
    int gates = 4 * hidden;
    if (wIh.dim(0) != gates
        || wIh.dim(1) != x.dim(2)
        || wHh.dim(0) != gates
        || bIh.size() != gates
        || bHh.size() != gates) {
      throw new IllegalArgumentException(
          "LSTM weights W_ih "
              + wIh.describeShape()
              + ", W_hh "
              + wHh.describeShape()
              + " do not fit input "
              + x.describeShape());
    }
    if (lengths.length != x.dim(0)) {
      throw new IllegalArgumentException(
          lengths.length + " lengths for a batch of " + x.dim(0) + " sequences");
    }
    for (int len : lengths) {
      if (len < 1 || len > x.dim(1)) {
        throw new IllegalArgumentException("sequence length " + len + " outside 1.." + x.dim(1));
      }
    }
  }
}
