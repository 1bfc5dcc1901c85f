package org.streamtagger.trainer.nn;

import java.util.Map;
import java.util.random.RandomGenerator;
import org.streamtagger.trainer.autograd.LstmSequence;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;

/**
 * One unidirectional LSTM layer (PyTorch's layout: gates i, f, g, o; weights and both biases
 * uniform in ±1/√hidden), reading left to right or, when {@code reverse}, right to left.
 */
public final class Lstm implements Recurrent {
  private final Tensor weightIh; // [4H, in]
  private final Tensor weightHh; // [4H, H]
  private final Tensor biasIh; // [4H]
  private final Tensor biasHh; // [4H]
  private final boolean reverse;

  public Lstm(int in, int hidden, boolean reverse, RandomGenerator random) {
    weightIh = Tensor.parameter(4 * hidden, in);
    weightHh = Tensor.parameter(4 * hidden, hidden);
    biasIh = Tensor.parameter(4 * hidden);
    biasHh = Tensor.parameter(4 * hidden);
    this.reverse = reverse;
    float bound = (float) (1.0 / Math.sqrt(hidden));
    for (Tensor t : parameters().values()) {
      Init.uniform(t, bound, random);
    }
  }

  /** Runs over {@code x[B, T, in]} with per-sequence lengths. */
  @Override
  public LstmSequence.Result forward(Tape tape, Tensor x, int[] lengths) {
    return LstmSequence.run(tape, x, lengths, weightIh, weightHh, biasIh, biasHh, reverse);
  }

  /** The weights as the LSTM op takes them. */
  public LstmSequence.Weights weights() {
    return new LstmSequence.Weights(weightIh, weightHh, biasIh, biasHh, reverse);
  }

  public int hidden() {
    return weightHh.dim(1);
  }

  @Override
  public int outputDim() {
    return hidden();
  }

  public boolean reverse() {
    return reverse;
  }

  @Override
  public Map<String, Tensor> parameters() {
    Map<String, Tensor> p = Module.ordered();
    p.put("weight_ih", weightIh);
    p.put("weight_hh", weightHh);
    p.put("bias_ih", biasIh);
    p.put("bias_hh", biasHh);
    return p;
  }
}
