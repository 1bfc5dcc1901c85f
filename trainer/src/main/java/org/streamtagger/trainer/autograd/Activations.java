package org.streamtagger.trainer.autograd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vectorised elementwise kernels for the LSTM cell: σ, tanh and the cell update. */
final class Activations {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

  private Activations() {}

  /** x[off, off+len) = σ(x). */
  static void sigmoid(float[] x, int off, int len) {
    int j = 0;
    for (; j + L <= len; j += L) {
      sigmoid(FloatVector.fromArray(S, x, off + j)).intoArray(x, off + j);
    }
    for (; j < len; j++) {
      x[off + j] = sigmoid(x[off + j]);
    }
  }

  /** x[off, off+len) = tanh(x). */
  static void tanh(float[] x, int off, int len) {
    int j = 0;
    for (; j + L <= len; j += L) {
      tanh(FloatVector.fromArray(S, x, off + j)).intoArray(x, off + j);
    }
    for (; j < len; j++) {
      x[off + j] = tanh(x[off + j]);
    }
  }

  /**
   * The LSTM cell update on one row of {@code hidden} values, given activated gates {@code [σi σf
   * tanh(g) σo]} at {@code gOff}: {@code c = σf·c + σi·tanh(g)}, {@code h = σo·tanh(c)}; tanh(c) is
   * kept in {@code tanhC} for the backward pass.
   */
  static void cell(
      float[] gates,
      int gOff,
      float[] c,
      int cOff,
      float[] h,
      int hOff,
      float[] tanhC,
      int tOff,
      int hidden) {
    int j = 0;
    for (; j + L <= hidden; j += L) {
      FloatVector i = FloatVector.fromArray(S, gates, gOff + j);
      FloatVector f = FloatVector.fromArray(S, gates, gOff + hidden + j);
      FloatVector g = FloatVector.fromArray(S, gates, gOff + 2 * hidden + j);
      FloatVector o = FloatVector.fromArray(S, gates, gOff + 3 * hidden + j);
      FloatVector cv = f.mul(FloatVector.fromArray(S, c, cOff + j)).add(i.mul(g));
      cv.intoArray(c, cOff + j);
      FloatVector tc = tanh(cv);
      tc.intoArray(tanhC, tOff + j);
      o.mul(tc).intoArray(h, hOff + j);
    }
    for (; j < hidden; j++) {
      float cv =
          gates[gOff + hidden + j] * c[cOff + j] + gates[gOff + j] * gates[gOff + 2 * hidden + j];
      c[cOff + j] = cv;
      tanhC[tOff + j] = tanh(cv);
      h[hOff + j] = gates[gOff + 3 * hidden + j] * tanhC[tOff + j];
    }
  }

  /**
   * The cell's backward on one row: from the gradient reaching h (carried {@code dh} plus the
   * output's {@code dOut}) and the carried {@code dc}, the gradients of the four pre-activations
   * into {@code dGates}; {@code dc} becomes the gradient carried to c_{t-1}.
   */
  static void cellBackward(
      float[] gates,
      int gOff,
      float[] tanhC,
      float[] cPrev,
      int hOff,
      float[] dh,
      float[] dc,
      int rOff,
      float[] dOut,
      int oOff,
      float[] dGates,
      int dOff,
      int hidden) {
    int j = 0;
    for (; j + L <= hidden; j += L) {
      FloatVector i = FloatVector.fromArray(S, gates, gOff + j);
      FloatVector f = FloatVector.fromArray(S, gates, gOff + hidden + j);
      FloatVector g = FloatVector.fromArray(S, gates, gOff + 2 * hidden + j);
      FloatVector o = FloatVector.fromArray(S, gates, gOff + 3 * hidden + j);
      FloatVector tc = FloatVector.fromArray(S, tanhC, hOff + j);
      FloatVector dhv =
          FloatVector.fromArray(S, dh, rOff + j).add(FloatVector.fromArray(S, dOut, oOff + j));
      FloatVector dcv =
          FloatVector.fromArray(S, dc, rOff + j).add(dhv.mul(o).mul(ONE.sub(tc.mul(tc))));
      dcv.mul(f).intoArray(dc, rOff + j);
      dcv.mul(g).mul(i).mul(ONE.sub(i)).intoArray(dGates, dOff + j);
      dcv.mul(FloatVector.fromArray(S, cPrev, hOff + j))
          .mul(f)
          .mul(ONE.sub(f))
          .intoArray(dGates, dOff + hidden + j);
      dcv.mul(i).mul(ONE.sub(g.mul(g))).intoArray(dGates, dOff + 2 * hidden + j);
      dhv.mul(tc).mul(o).mul(ONE.sub(o)).intoArray(dGates, dOff + 3 * hidden + j);
    }
    for (; j < hidden; j++) {
      float ig = gates[gOff + j];
      float fg = gates[gOff + hidden + j];
      float gg = gates[gOff + 2 * hidden + j];
      float og = gates[gOff + 3 * hidden + j];
      float tc = tanhC[hOff + j];
      float dhv = dh[rOff + j] + dOut[oOff + j];
      float dcv = dc[rOff + j] + dhv * og * (1f - tc * tc);
      dc[rOff + j] = dcv * fg;
      dGates[dOff + j] = dcv * gg * ig * (1f - ig);
      dGates[dOff + hidden + j] = dcv * cPrev[hOff + j] * fg * (1f - fg);
      dGates[dOff + 2 * hidden + j] = dcv * ig * (1f - gg * gg);
      dGates[dOff + 3 * hidden + j] = dhv * tc * og * (1f - og);
    }
  }

  static float sigmoid(float v) {
    return 1f / (1f + (float) Math.exp(-v));
  }

  static float tanh(float v) {
    return 2f / (1f + (float) Math.exp(-2f * v)) - 1f;
  }

  private static FloatVector sigmoid(FloatVector v) {
    // 1 / (1 + e^-x), with x clamped so e^-x stays finite.
    FloatVector e = v.max(-80f).neg().lanewise(VectorOperators.EXP);
    return ONE.div(e.add(1f));
  }

  private static FloatVector tanh(FloatVector v) {
    // tanh(x) = 2σ(2x) − 1.
    return sigmoid(v.mul(2f)).mul(2f).sub(1f);
  }
}
