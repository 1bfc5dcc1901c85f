package org.streamtagger.trainer.nn;

import java.util.Map;
import java.util.random.RandomGenerator;
import org.streamtagger.trainer.autograd.Ops;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;

/** Affine map {@code y = x · Wᵀ + b}, weights and bias uniform in ±1/√in like {@code nn.Linear}. */
public final class Linear implements Module {
  private final Tensor weight; // [out, in]
  private final Tensor bias; // [out]

  public Linear(int in, int out, RandomGenerator random) {
    weight = Tensor.parameter(out, in);
    bias = Tensor.parameter(out);
    float bound = (float) (1.0 / Math.sqrt(in));
    Init.uniform(weight, bound, random);
    Init.uniform(bias, bound, random);
  }

  /** {@code x[..., in]} to {@code [..., out]}. */
  public Tensor forward(Tape tape, Tensor x) {
    return Ops.linear(tape, x, weight, bias);
  }

  public Tensor weight() {
    return weight;
  }

  public Tensor bias() {
    return bias;
  }

  @Override
  public Map<String, Tensor> parameters() {
    Map<String, Tensor> p = Module.ordered();
    p.put("weight", weight);
    p.put("bias", bias);
    return p;
  }
}
