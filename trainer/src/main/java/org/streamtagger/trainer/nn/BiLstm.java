package org.streamtagger.trainer.nn;

import java.util.Map;
import java.util.random.RandomGenerator;
import org.streamtagger.trainer.autograd.LstmSequence;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;

/**
 * A bidirectional LSTM layer: a left-to-right and a right-to-left {@link Lstm} whose outputs (and
 * final states) are concatenated, forward first, as PyTorch does. The two directions run on two
 * threads when there are two.
 */
public final class BiLstm implements Recurrent {
  private final Lstm forward;
  private final Lstm backward;

  public BiLstm(int in, int hidden, RandomGenerator random) {
    forward = new Lstm(in, hidden, false, random);
    backward = new Lstm(in, hidden, true, random);
  }

  @Override
  public LstmSequence.Result forward(Tape tape, Tensor x, int[] lengths) {
    return LstmSequence.runBidirectional(tape, x, lengths, forward.weights(), backward.weights());
  }

  @Override
  public int outputDim() {
    return 2 * forward.hidden();
  }

  @Override
  public Map<String, Tensor> parameters() {
    Map<String, Tensor> p = Module.ordered();
    Module.collect(p, "forward", forward);
    Module.collect(p, "backward", backward);
    return p;
  }
}
