package org.streamtagger.trainer.autograd;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

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
 * the states.
 *
 * <p>For speed, the real positions are packed ({@code N} = total length rows, no padding) so the
 * input projection and the weight gradients are each one large matrix product; sequences are
 * stepped longest-first, so the still-running ones form a prefix and each step's recurrent product
 * is one small matrix product. A bidirectional layer runs its two directions on two threads ({@link
 * #runBidirectional}).
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
   * The weights of one direction.
   *
   * @param wIh input weights {@code [4H, I]}
   * @param wHh recurrent weights {@code [4H, H]}
   * @param bIh input bias {@code [4H]}
   * @param bHh recurrent bias {@code [4H]}
   * @param reverse whether to read each sequence from its end to its start
   */
  public record Weights(Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, boolean reverse) {
    int hidden() {
      return wHh.dim(1);
    }
  }

  /**
   * Runs the LSTM.
   *
   * @param x input {@code [B, T, I]}
   * @param lengths real steps of each sequence, each in {@code 1..T}
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
    Weights w = new Weights(wIh, wHh, bIh, bHh, reverse);
    Packing packing = new Packing(x, lengths);
    checkShapes(x, w);
    Pass pass = new Pass(packing, w, tape.needsGrad(x, wIh, wHh, bIh, bHh));
    pass.forward();
    if (pass.grad) {
      tape.record(
          () -> {
            pass.backward();
            packing.addToInputGrad(pass.dxp);
          });
    }
    return new Result(pass.outputs, pass.last);
  }

  /**
   * Runs a forward and a reverse LSTM over the same input, on two threads when {@link Parallel} has
   * them; outputs and final states are concatenated, forward first.
   */
  public static Result runBidirectional(
      Tape tape, Tensor x, int[] lengths, Weights forward, Weights backward) {
    checkShapes(x, forward);
    checkShapes(x, backward);
    if (forward.hidden() != backward.hidden()) {
      throw new IllegalArgumentException("both directions must have the same hidden size");
    }
    Packing packing = new Packing(x, lengths);
    boolean grad =
        tape.needsGrad(
            x,
            forward.wIh(),
            forward.wHh(),
            forward.bIh(),
            forward.bHh(),
            backward.wIh(),
            backward.wHh(),
            backward.bIh(),
            backward.bHh());
    Pass f = new Pass(packing, forward, grad);
    Pass b = new Pass(packing, backward, grad);
    Parallel.all(List.<Callable<Void>>of(() -> f.forward(), () -> b.forward()));
    int h = forward.hidden();
    Tensor outputs = Tensor.result(grad, packing.batch, packing.time, 2 * h);
    Tensor last = Tensor.result(grad, packing.batch, 2 * h);
    interleave(f.outputs.data, b.outputs.data, outputs.data, h);
    interleave(f.last.data, b.last.data, last.data, h);
    if (grad) {
      tape.record(
          () -> {
            deinterleave(outputs.grad, f.outputs.grad, b.outputs.grad, h);
            deinterleave(last.grad, f.last.grad, b.last.grad, h);
            Parallel.all(List.<Callable<Void>>of(() -> f.backward(), () -> b.backward()));
            packing.addToInputGrad(f.dxp);
            packing.addToInputGrad(b.dxp);
          });
    }
    return new Result(outputs, last);
  }

  /** out[r] = [a[r] ; b[r]] for rows of width {@code h}. */
  private static void interleave(float[] a, float[] b, float[] out, int h) {
    int rows = a.length / h;
    for (int r = 0; r < rows; r++) {
      System.arraycopy(a, r * h, out, r * 2 * h, h);
      System.arraycopy(b, r * h, out, r * 2 * h + h, h);
    }
  }

  /** a[r] = in[r][0:h], b[r] = in[r][h:2h]. */
  private static void deinterleave(float[] in, float[] a, float[] b, int h) {
    int rows = a.length / h;
    for (int r = 0; r < rows; r++) {
      System.arraycopy(in, r * 2 * h, a, r * h, h);
      System.arraycopy(in, r * 2 * h + h, b, r * h, h);
    }
  }

  /** The real positions of a padded batch, packed sequence after sequence. */
  private static final class Packing {
    final Tensor x;
    final int batch;
    final int time;
    final int in;
    final int rows; // N: total real positions
    final int[] lengths;
    final int[] start; // [B] packed row of each sequence's position 0
    final int[] order; // sequences, longest first
    final float[] xp; // [N, I]

    Packing(Tensor x, int[] lengths) {
      if (x.rank() != 3) {
        throw new IllegalArgumentException(
            "LSTM input must be [batch, time, features], got " + x.describeShape());
      }
      this.x = x;
      batch = x.dim(0);
      time = x.dim(1);
      in = x.dim(2);
      if (lengths.length != batch) {
        throw new IllegalArgumentException(
            lengths.length + " lengths for a batch of " + batch + " sequences");
      }
      this.lengths = lengths;
      start = new int[batch];
      int n = 0;
      for (int b = 0; b < batch; b++) {
        if (lengths[b] < 1 || lengths[b] > time) {
          throw new IllegalArgumentException(
              "sequence length " + lengths[b] + " outside 1.." + time);
        }
        start[b] = n;
        n += lengths[b];
      }
      rows = n;
      order = longestFirst(lengths);
      if (rows == batch * time) {
        xp = x.data; // no padding: the input is already packed
      } else {
        xp = new float[rows * in];
        for (int b = 0; b < batch; b++) {
          System.arraycopy(x.data, b * time * in, xp, start[b] * in, lengths[b] * in);
        }
      }
    }

    /** Adds a packed input gradient {@code [N, I]} into the padded input's gradient. */
    void addToInputGrad(float[] dxp) {
      if (dxp == null || !x.requiresGrad()) {
        return;
      }
      for (int b = 0; b < batch; b++) {
        int src = start[b] * in;
        int dst = b * time * in;
        for (int j = 0; j < lengths[b] * in; j++) {
          x.grad[dst + j] += dxp[src + j];
        }
      }
    }

    /** How many of the longest-first sequences are still running at step {@code s}. */
    int active(int s) {
      int k = order.length;
      while (k > 0 && lengths[order[k - 1]] <= s) {
        k--;
      }
      return k;
    }

    /** Packed row of sequence {@code b} at step {@code s}. */
    int row(int b, int s, boolean reverse) {
      return start[b] + (reverse ? lengths[b] - 1 - s : s);
    }
  }

  /** One direction over one packing: its forward, its saved state, its backward. */
  private static final class Pass {
    final Packing p;
    final Weights w;
    final boolean grad;
    final int hidden;
    final int gates;
    final Tensor outputs; // [B, T, H]
    final Tensor last; // [B, H]
    float[] acts; // [N, 4H] σ(i) σ(f) tanh(g) σ(o)
    float[] tanhCells; // [N, H] tanh(c_t)
    float[] hPrev; // [N, H] h_{t-1} seen at each position
    float[] cPrev; // [N, H] c_{t-1} seen at each position
    float[] dxp; // [N, I] gradient of the packed input, after backward

    Pass(Packing p, Weights w, boolean grad) {
      this.p = p;
      this.w = w;
      this.grad = grad;
      hidden = w.hidden();
      gates = 4 * hidden;
      outputs = Tensor.result(grad, p.batch, p.time, hidden);
      last = Tensor.result(grad, p.batch, hidden);
    }

    Void forward() {
      int n = p.rows;
      float[] bias = new float[gates];
      for (int j = 0; j < gates; j++) {
        bias[j] = w.bIh().data[j] + w.bHh().data[j];
      }
      acts = new float[n * gates];
      for (int r = 0; r < n; r++) {
        System.arraycopy(bias, 0, acts, r * gates, gates);
      }
      Gemm.abT(p.xp, 0, w.wIh().data, 0, acts, 0, n, gates, p.in); // input projections
      float[] whhT = Gemm.transpose(w.wHh().data, 0, gates, hidden); // [H, 4H]
      tanhCells = new float[n * hidden];
      hPrev = new float[n * hidden];
      cPrev = new float[n * hidden];
      float[] h = new float[p.batch * hidden]; // [B, H] longest-first rows
      float[] c = new float[p.batch * hidden];
      float[] step = new float[p.batch * gates]; // [B, 4H]
      int maxLen = p.lengths[p.order[0]];
      for (int s = 0; s < maxLen; s++) {
        int active = p.active(s);
        for (int r = 0; r < active; r++) {
          int row = p.row(p.order[r], s, w.reverse());
          System.arraycopy(acts, row * gates, step, r * gates, gates);
        }
        Gemm.ab(h, 0, whhT, 0, step, 0, active, gates, hidden);
        for (int r = 0; r < active; r++) {
          int b = p.order[r];
          int row = p.row(b, s, w.reverse());
          int g0 = r * gates;
          Activations.sigmoid(step, g0, 2 * hidden);
          Activations.tanh(step, g0 + 2 * hidden, hidden);
          Activations.sigmoid(step, g0 + 3 * hidden, hidden);
          System.arraycopy(step, g0, acts, row * gates, gates);
          System.arraycopy(h, r * hidden, hPrev, row * hidden, hidden);
          System.arraycopy(c, r * hidden, cPrev, row * hidden, hidden);
          Activations.cell(step, g0, c, r * hidden, h, r * hidden, tanhCells, row * hidden, hidden);
          int t = row - p.start[b];
          System.arraycopy(h, r * hidden, outputs.data, (b * p.time + t) * hidden, hidden);
        }
      }
      for (int r = 0; r < p.batch; r++) {
        System.arraycopy(h, r * hidden, last.data, p.order[r] * hidden, hidden);
      }
      return null;
    }

    Void backward() {
      int n = p.rows;
      float[] dPre = new float[n * gates]; // [N, 4H]
      float[] dh = new float[p.batch * hidden]; // [B, H] longest-first rows
      float[] dc = new float[p.batch * hidden];
      float[] dStep = new float[p.batch * gates];
      for (int r = 0; r < p.batch; r++) {
        System.arraycopy(last.grad, p.order[r] * hidden, dh, r * hidden, hidden);
      }
      int maxLen = p.lengths[p.order[0]];
      for (int s = maxLen - 1; s >= 0; s--) {
        int active = p.active(s);
        for (int r = 0; r < active; r++) {
          int b = p.order[r];
          int row = p.row(b, s, w.reverse());
          int t = row - p.start[b];
          int out0 = (b * p.time + t) * hidden;
          int a0 = row * gates;
          int h0 = row * hidden;
          int d0 = r * gates;
          Activations.cellBackward(
              acts,
              a0,
              tanhCells,
              cPrev,
              h0,
              dh,
              dc,
              r * hidden,
              outputs.grad,
              out0,
              dStep,
              d0,
              hidden);
          System.arraycopy(dStep, d0, dPre, a0, gates);
        }
        Arrays.fill(dh, 0, active * hidden, 0f);
        Gemm.ab(dStep, 0, w.wHh().data, 0, dh, 0, active, hidden, gates);
      }
      if (w.wIh().requiresGrad()) {
        Gemm.aTb(dPre, 0, p.xp, 0, w.wIh().grad, 0, gates, p.in, n);
      }
      if (w.wHh().requiresGrad()) {
        Gemm.aTb(dPre, 0, hPrev, 0, w.wHh().grad, 0, gates, hidden, n);
      }
      float[] dBias = new float[gates];
      for (int r = 0; r < n; r++) {
        for (int j = 0; j < gates; j++) {
          dBias[j] += dPre[r * gates + j];
        }
      }
      for (int j = 0; j < gates; j++) {
        if (w.bIh().requiresGrad()) {
          w.bIh().grad[j] += dBias[j];
        }
        if (w.bHh().requiresGrad()) {
          w.bHh().grad[j] += dBias[j];
        }
      }
      if (p.x.requiresGrad()) {
        dxp = new float[n * p.in];
        Gemm.ab(dPre, 0, w.wIh().data, 0, dxp, 0, n, p.in, gates);
      }
      return null;
    }
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

  private static void checkShapes(Tensor x, Weights w) {
    int gates = 4 * w.hidden();
    if (x.rank() != 3
        || w.wIh().dim(0) != gates
        || w.wIh().dim(1) != x.dim(2)
        || w.wHh().dim(0) != gates
        || w.bIh().size() != gates
        || w.bHh().size() != gates) {
      throw new IllegalArgumentException(
          "LSTM weights W_ih "
              + w.wIh().describeShape()
              + ", W_hh "
              + w.wHh().describeShape()
              + " do not fit input "
              + x.describeShape());
    }
  }
}
