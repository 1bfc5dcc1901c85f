package org.streamtagger.trainer.retrain;

import java.util.Locale;

/**
 * Whether a candidate may replace the model it would replace: its dev accuracy may be lower than
 * the baseline's by {@code marginPoints} at most (a negative margin asks for that much better).
 *
 * @param accepted whether it may be published
 * @param reason the comparison, in words
 */
public record QualityGate(boolean accepted, String reason) {

  static QualityGate decide(double candidateDev, double baselineDev, double marginPoints) {
    double diff = 100 * (candidateDev - baselineDev);
    boolean ok = diff >= -marginPoints - 1e-9;
    return new QualityGate(
        ok,
        String.format(
            Locale.ROOT,
            "candidate dev %.2f%%, baseline %.2f%% (%+.2f points; %s %.2f points below it)",
            100 * candidateDev,
            100 * baselineDev,
            diff,
            ok ? "accepted down to" : "refused: more than",
            marginPoints));
  }
}
