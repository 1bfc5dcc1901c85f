package org.streamtagger.trainer.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.streamtagger.trainer.autograd.Ops;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;

/**
 * Compares the tape's gradients with central finite differences.
 *
 * <p>The function's output is reduced to a scalar with fixed random weights, so every output
 * position gets a different upstream gradient (a gradient that is right only on average, or swapped
 * between positions, is caught). Perturbations are taken in float; the reduction is done in double.
 * With {@code h = 1e-2}, rounding and truncation errors stay near 1e-4 for these smooth ops, far
 * below the tolerance, while a gradient wrong by 10% of its size is not.
 */
public final class GradientCheck {
  public static final float H = 1e-2f;
  public static final double RTOL = 2e-2;
  public static final double ATOL = 2e-3;
  private static final int MAX_PROBES_PER_INPUT = 80;

  /** One disagreement between the analytic and the numeric derivative. */
  public record Mismatch(int input, int index, double analytic, double numeric) {}

  private GradientCheck() {}

  /** All mismatches of {@code f}'s gradient with respect to each of {@code inputs}. */
  public static List<Mismatch> mismatches(Function<Tape, Tensor> f, Tensor... inputs) {
    for (Tensor in : inputs) {
      Arrays.fill(in.grad, 0f);
    }
    Tape tape = Tape.training();
    Tensor out = f.apply(tape);
    float[] weights = weightsFor(out.size());
    Tensor loss = Ops.sum(tape, Ops.mul(tape, out, Tensor.of(weights, out.shape())));
    tape.backward(loss);

    List<Mismatch> bad = new ArrayList<>();
    SplittableRandom pick = new SplittableRandom(42);
    for (int k = 0; k < inputs.length; k++) {
      Tensor in = inputs[k];
      int probes = Math.min(in.size(), MAX_PROBES_PER_INPUT);
      for (int p = 0; p < probes; p++) {
        int i = in.size() <= MAX_PROBES_PER_INPUT ? p : pick.nextInt(in.size());
        float saved = in.data[i];
        in.data[i] = saved + H;
        double plus = weighted(f, weights);
        in.data[i] = saved - H;
        double minus = weighted(f, weights);
        in.data[i] = saved;
        double numeric = (plus - minus) / (2 * H);
        double analytic = in.grad[i];
        if (Math.abs(analytic - numeric)
            > ATOL + RTOL * Math.max(Math.abs(analytic), Math.abs(numeric))) {
          bad.add(new Mismatch(k, i, analytic, numeric));
        }
      }
    }
    return bad;
  }

  /** A trainable input with values uniform in ±scale. */
  public static Tensor input(long seed, float scale, int... shape) {
    Tensor t = Tensor.parameter(shape);
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < t.data.length; i++) {
      t.data[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return t;
  }

  private static double weighted(Function<Tape, Tensor> f, float[] weights) {
    // A recording tape, so that training-only ops (dropout) behave as in the analytic pass.
    Tensor out = f.apply(Tape.training());
    double s = 0;
    for (int i = 0; i < weights.length; i++) {
      s += (double) weights[i] * out.data[i];
    }
    return s;
  }

  private static float[] weightsFor(int n) {
    SplittableRandom r = new SplittableRandom(7);
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return w;
  }
}
