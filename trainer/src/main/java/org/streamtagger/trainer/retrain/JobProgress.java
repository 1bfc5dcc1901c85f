package org.streamtagger.trainer.retrain;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.streamtagger.trainer.tagger.Trainer;

/**
 * The job's one progress line: its step, the epoch of the member in training, and how long the rest
 * should take. Printed at each step and epoch, and every {@link #EVERY_NANOS} within an epoch. The
 * estimate assumes a member trains as many epochs as the finished ones did (or, for the first,
 * until its best epoch plus the patience), at the pace of the epochs so far.
 */
final class JobProgress implements Trainer.Listener {
  private static final long EVERY_NANOS = 30_000_000_000L;

  private final PrintStream out;
  private final int steps;
  private final int members;
  private final int patience;
  private final long start = System.nanoTime();
  private final List<Integer> finishedEpochs = new ArrayList<>();
  private double epochSeconds;
  private int epochsTimed;
  private long lastEpochAt = System.nanoTime();
  private long lastLine;
  private int step;
  private String stepName = "";
  private int member;
  private int bestEpoch;
  private int epoch;
  private int maxEpochs;
  private int timedEpoch;
  private double startedAt;
  private boolean toldStopped;

  JobProgress(PrintStream out, int steps, int members, int patience) {
    this.out = out;
    this.steps = steps;
    this.members = members;
    this.patience = patience;
  }

  /** A step begins ({@code member}: its 1-based member, or 0 for a step after training). */
  void step(int step, String name, int member) {
    this.step = step;
    this.stepName = name;
    this.member = member;
    this.epoch = 0;
    this.bestEpoch = 0;
    this.lastEpochAt = System.nanoTime();
    line("");
  }

  /** A member is done after {@code epochs} epochs (a resumed job counts the earlier ones too). */
  void memberDone(int epochs) {
    finishedEpochs.add(epochs);
  }

  @Override
  public void stopped(int epoch, int batch) {
    // Printed from the training thread: after Ctrl-C the JVM may end before the job returns.
    toldStopped = true;
    say(
        String.format(
            Locale.ROOT,
            "stopped in %s, epoch %d (its state saved at batch %d); run the same command again to"
                + " go on",
            stepName.replace("train ", ""),
            epoch,
            batch));
  }

  /** Whether {@link #stopped} has told how to go on. */
  boolean toldStopped() {
    return toldStopped;
  }

  /** A line of its own, for what happens once (the gate's decision, where the card is). */
  void say(String what) {
    out.println("retrain: " + what);
  }

  @Override
  public void batch(int epoch, int epochs, int done, int total) {
    if (epoch != timedEpoch) {
      // A resumed epoch starts part of the way through: time it as the whole of it.
      timedEpoch = epoch;
      startedAt = Math.min(0.9, Math.max(0, done - 1) / (double) total);
    }
    if (System.nanoTime() - lastLine > EVERY_NANOS) {
      line(String.format(Locale.ROOT, ": epoch %d/%d, %d%%", epoch, epochs, 100 * done / total));
    }
  }

  @Override
  public void epoch(Trainer.Epoch e, int epochs, int bestEpoch) {
    long now = System.nanoTime();
    epochSeconds += (now - lastEpochAt) / 1e9 / (1 - startedAt);
    epochsTimed++;
    startedAt = 0;
    lastEpochAt = now;
    this.epoch = e.epoch();
    this.maxEpochs = epochs;
    this.bestEpoch = bestEpoch;
    line(
        String.format(
            Locale.ROOT,
            ": epoch %d/%d done, dev %.2f%% (best at epoch %d)",
            e.epoch(),
            epochs,
            100 * e.devAccuracy(),
            bestEpoch));
  }

  private void line(String detail) {
    lastLine = System.nanoTime();
    String eta = eta();
    out.printf(
        Locale.ROOT,
        "retrain: step %d/%d %s%s · %s elapsed%s%n",
        step,
        steps,
        stepName,
        detail,
        duration((System.nanoTime() - start) / 1e9),
        eta.isEmpty() ? "" : " · " + eta);
  }

  /** "about 38m of training left" while members train, else nothing (later steps are short). */
  private String eta() {
    if (member == 0 || epochsTimed == 0) {
      return "";
    }
    int finished = (int) Math.round(finishedEpochs.stream().mapToInt(i -> i).average().orElse(0));
    int current =
        patience == 0
            ? maxEpochs
            : Math.min(maxEpochs, Math.max(Math.max(bestEpoch + patience, epoch), finished));
    int others = finishedEpochs.isEmpty() ? current : finished;
    double perEpoch = epochSeconds / epochsTimed;
    int left = Math.max(0, current - epoch) + (members - member) * others;
    int most = Math.max(0, maxEpochs - epoch) + (members - member) * maxEpochs;
    return "about "
        + duration(left * perEpoch)
        + " of training left (at most "
        + duration(most * perEpoch)
        + ")";
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
