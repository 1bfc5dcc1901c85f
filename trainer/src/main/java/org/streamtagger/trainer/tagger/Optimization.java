package org.streamtagger.trainer.tagger;

import java.util.List;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.optim.Adam;
import org.streamtagger.trainer.optim.GradientClipping;
import org.streamtagger.trainer.optim.Optimizer;
import org.streamtagger.trainer.optim.Sgd;
import org.streamtagger.trainer.optim.WeightAverage;

/**
 * One update, as the training settings say: the optimizer's step after clipping the gradients'
 * global norm, then the weight average's update. Evaluation and saving may use the averaged weights
 * ({@link #useAverage}) between epochs; training goes on with the live ones ({@link #useLive}).
 */
final class Optimization {
  private final List<Tensor> params;
  private final TrainingSettings settings;
  private final Optimizer optimizer;

  /** The Adam optimizer, whose moments a resumable state saves; null for SGD. */
  final Adam adam;

  /** The weight average, or null without one. */
  final WeightAverage average;

  Optimization(TaggerModel model, TrainingSettings settings) {
    this.params = List.copyOf(model.parameters().values());
    this.settings = settings;
    adam = settings.optimizer().equals("adam") ? new Adam(params, settings.lr()) : null;
    optimizer = adam != null ? adam : new Sgd(params, settings.lr());
    average =
        settings.averageDecay() > 0f ? new WeightAverage(params, settings.averageDecay()) : null;
  }

  void zeroGrad() {
    optimizer.zeroGrad();
  }

  /** Clips, steps and averages, from the gradients of the last backward pass. */
  void step() {
    if (settings.clipNorm() > 0f) {
      GradientClipping.clipGlobalNorm(params, settings.clipNorm());
    }
    optimizer.step();
    if (average != null) {
      average.update();
    }
  }

  /** The averaged weights in the model (a no-op without averaging), for evaluation and saving. */
  void useAverage() {
    if (average != null) {
      average.swap();
    }
  }

  /** Back to the live weights after {@link #useAverage}. */
  void useLive() {
    useAverage(); // a swap undoes a swap
  }

  @Override
  public String toString() {
    return optimizer.toString();
  }
}
