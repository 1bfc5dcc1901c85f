package org.streamtagger.trainer.nn;

import java.util.Map;
import java.util.random.RandomGenerator;
import org.streamtagger.trainer.autograd.Ops;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;

/** A look-up table of {@code dim}-sized vectors, initialised N(0, 1) like {@code nn.Embedding}. */
public final class Embedding implements Module {
  private final Tensor weight;

  public Embedding(int vocabulary, int dim, RandomGenerator random) {
    weight = Tensor.rowSparseParameter(vocabulary, dim);
    Init.normal(weight, random);
  }

  /** Vectors of {@code ids}: {@code [ids.length, dim]}. */
  public Tensor forward(Tape tape, int[] ids) {
    return Ops.embedding(tape, weight, ids);
  }

  public int dim() {
    return weight.dim(1);
  }

  public int vocabulary() {
    return weight.dim(0);
  }

  public Tensor weight() {
    return weight;
  }

  @Override
  public Map<String, Tensor> parameters() {
    Map<String, Tensor> p = Module.ordered();
    p.put("weight", weight);
    return p;
  }
}
