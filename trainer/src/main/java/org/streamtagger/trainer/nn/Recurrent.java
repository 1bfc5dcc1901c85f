package org.streamtagger.trainer.nn;

import java.util.random.RandomGenerator;
import org.streamtagger.trainer.autograd.LstmSequence;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;

/** A recurrent layer over padded batches: a left-to-right {@link Lstm} or a {@link BiLstm}. */
public interface Recurrent extends Module {

  /** Outputs {@code [B, T, outputDim]} and final states {@code [B, outputDim]}. */
  LstmSequence.Result forward(Tape tape, Tensor x, int[] lengths);

  /** Width of each output and of the final state. */
  int outputDim();

  /** A left-to-right {@link Lstm}, or a {@link BiLstm} when {@code bidirectional}. */
  static Recurrent create(int in, int hidden, boolean bidirectional, RandomGenerator random) {
    return bidirectional ? new BiLstm(in, hidden, random) : new Lstm(in, hidden, false, random);
  }
}
