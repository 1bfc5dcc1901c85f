package org.streamtagger.trainer.tagger;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.autograd.Parallel;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.data.Vocabularies;

/**
 * The training loop, flat: config → seed → data → model → optimizer → epochs of (forward, backward,
 * clip, step, progress) → dev evaluation → best-dev checkpoint, metrics and charts → early stop.
 * Every random choice is derived from (seed, epoch, batch), so a run interrupted with Ctrl-C and
 * resumed from its saved state continues exactly as if it had not stopped.
 */
public final class Trainer {
  public static final String METRICS_FILE = "metrics.json";
  public static final String DEV_EVALUATION_FILE = "dev-evaluation.json";
  private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

  /**
   * What to train and where.
   *
   * @param config the model and its training
   * @param trainFile CoNLL-U training data
   * @param devFile CoNLL-U data to choose on, or null for none
   * @param outDir where checkpoints, metrics and charts go, or null to keep nothing (benchmarks)
   * @param column the tag column to learn
   * @param threads threads for the kernels and for evaluation
   * @param limit train on the first {@code limit} sentences only; 0 for all
   * @param patience stop after this many epochs without a better dev accuracy; 0 never
   * @param distillation a teacher to learn from as well as the gold tags, or null
   */
  public record Options(
      ModelConfig config,
      Path trainFile,
      Path devFile,
      Path outDir,
      TagColumn column,
      int threads,
      int limit,
      int patience,
      Distillation distillation) {
    /** Without a teacher. */
    public Options(
        ModelConfig config,
        Path trainFile,
        Path devFile,
        Path outDir,
        TagColumn column,
        int threads,
        int limit,
        int patience) {
      this(config, trainFile, devFile, outDir, column, threads, limit, patience, null);
    }
  }

  /**
   * One epoch's figures.
   *
   * @param epoch 1-based
   * @param loss mean training loss per update
   * @param seconds wall time of the training pass (no evaluation)
   * @param sentencesPerS training sentences per second
   * @param tokensPerS training tokens per second
   * @param devAccuracy dev token accuracy, or NaN without dev data
   * @param devOovAccuracy dev accuracy on words never seen in training, or NaN
   */
  public record Epoch(
      int epoch,
      double loss,
      double seconds,
      double sentencesPerS,
      double tokensPerS,
      double devAccuracy,
      double devOovAccuracy) {}

  /**
   * The outcome of a run.
   *
   * @param model the model after the last epoch run
   * @param epochs per-epoch figures
   * @param sentences training sentences per epoch
   * @param tokens training tokens per epoch
   * @param interrupted whether Ctrl-C stopped it (its state is saved for {@code --resume})
   */
  public record Result(
      TaggerModel model, List<Epoch> epochs, int sentences, long tokens, boolean interrupted) {}

  /** Told of a run's progress, for a job that reports more than one run as one. */
  public interface Listener {
    /** {@code done} of {@code total} training sentences of this epoch are through. */
    default void batch(int epoch, int epochs, int done, int total) {}

    /** An epoch ended (evaluated on dev); {@code bestEpoch} is the best so far. */
    default void epoch(Epoch e, int epochs, int bestEpoch) {}

    /** A stop request (Ctrl-C among them) ended the run; its state is saved at that batch. */
    default void stopped(int epoch, int batch) {}
  }

  private final PrintStream log;
  private final Listener listener;
  private volatile boolean stopRequested;

  /** A trainer that reports progress to {@code log} (standard error for the command line). */
  public Trainer(PrintStream log) {
    this(log, new Listener() {});
  }

  /** A trainer that also tells {@code listener} where it stands. */
  public Trainer(PrintStream log, Listener listener) {
    this.log = log;
    this.listener = listener;
  }

  /** Asks a running {@link #train} to save its state after the current batch and return. */
  public void requestStop() {
    stopRequested = true;
  }

  /** Trains a fresh model. */
  public Result train(Options o) throws Treebank.DataException, IOException {
    return run(o, null);
  }

  /**
   * Continues the run saved in {@code dir} (by Ctrl-C or after any epoch) with the options it was
   * started with; {@code epochs}, when positive, replaces the planned number of epochs.
   */
  public Result resume(Path dir, int threads, int epochs)
      throws Treebank.DataException, IOException {
    Map<String, Object> run = TrainingState.load(dir, null, null, false).run();
    @SuppressWarnings("unchecked")
    ModelConfig config = ModelConfig.fromMap((Map<String, Object>) run.get("config"));
    if (epochs > 0) {
      config = config.withEpochs(epochs);
    }
    Object dev = run.get("dev_file");
    Options o =
        new Options(
            config,
            Path.of((String) run.get("train_file")),
            dev == null ? null : Path.of((String) dev),
            dir,
            TagColumn.parse((String) run.get("column")),
            threads,
            ((Number) run.get("limit")).intValue(),
            ((Number) run.get("patience")).intValue(),
            run.get("distillation") == null
                ? null
                : Distillation.fromMap(castMap(run.get("distillation"))));
    return run(o, dir);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  /**
   * Training and dev data, encoded with the vocabularies built from the training data.
   *
   * @param teacher per training sentence, the teacher's distributions; null without a teacher
   */
  private record Data(
      Vocabularies vocab,
      List<EncodedSentence> train,
      List<EncodedSentence> dev,
      float[][] teacher) {
    long tokens() {
      return train.stream().mapToLong(EncodedSentence::length).sum();
    }
  }

  /** Where a run stands: the next epoch and batch, the best dev accuracy so far and when. */
  private static final class Standing {
    int nextEpoch = 1;
    int nextBatch;
    double bestDev = -1;
    int bestEpoch;
    final List<Epoch> epochs = new ArrayList<>();

    /** Records a finished epoch; whether its dev accuracy is the best so far. */
    boolean record(Epoch e) {
      epochs.add(e);
      boolean best = !Double.isNaN(e.devAccuracy()) && e.devAccuracy() > bestDev;
      if (best) {
        bestDev = e.devAccuracy();
        bestEpoch = e.epoch();
      }
      return best;
    }

    TrainingState.Position at(int epoch, int batch, Map<String, Object> run) {
      return new TrainingState.Position(epoch, batch, bestDev, bestEpoch, epochs, run);
    }
  }

  private Result run(Options o, Path resumeFrom) throws Treebank.DataException, IOException {
    ModelConfig config = o.config().validate();
    TrainingSettings t = config.training();
    Parallel.setThreads(o.threads());
    log.println("config: " + config.asMap());
    Data data = load(o, config);
    RunDirectory dir =
        o.outDir() == null ? null : new RunDirectory(o, data.train().size(), data.tokens());
    TaggerModel model = new TaggerModel(config, data.vocab());
    Optimization optimization = new Optimization(model, t);
    log.println(describe(config, model, data, optimization, o.threads()));
    Standing standing =
        resumeFrom == null ? new Standing() : resume(resumeFrom, model, data, optimization);
    boolean interrupted = false;
    try (CtrlC ctrlC = new CtrlC(dir != null)) {
      for (int epoch = standing.nextEpoch; epoch <= t.epochs(); epoch++) {
        int firstBatch = epoch == standing.nextEpoch ? standing.nextBatch : 0;
        Pass pass = trainEpoch(model, optimization, data, o, epoch, firstBatch);
        if (pass.stoppedAt() >= 0) {
          interrupted = true;
          if (dir != null) {
            dir.saveState(
                model, optimization, standing.at(epoch, pass.stoppedAt(), dir.startedWith()));
            log.printf(
                Locale.ROOT,
                "interrupted at epoch %d, batch %d: state saved; continue with --resume %s%n",
                epoch,
                pass.stoppedAt(),
                dir.path());
            listener.stopped(epoch, pass.stoppedAt());
          }
          break;
        }
        optimization.useAverage(); // evaluate and save the averaged weights
        Evaluation dev =
            data.dev().isEmpty() ? null : Evaluation.of(model, data.dev(), o.threads());
        Epoch e = pass.figures(epoch, data.train().size(), data.tokens(), dev);
        boolean best = standing.record(e);
        log.println(epochLine(e, t.epochs(), dev != null, best));
        listener.epoch(e, t.epochs(), standing.bestEpoch);
        if (dir != null) {
          dir.epochDone(model, e, dev, best, standing.epochs);
        }
        optimization.useLive();
        if (dir != null) {
          dir.saveState(model, optimization, standing.at(epoch + 1, 0, dir.startedWith()));
        }
        if (o.patience() > 0 && dev != null && epoch - standing.bestEpoch >= o.patience()) {
          log.printf(
              Locale.ROOT,
              "early stop: no better dev accuracy for %d epochs (best %.2f%% at epoch %d)%n",
              o.patience(),
              100 * standing.bestDev,
              standing.bestEpoch);
          break;
        }
      }
      ctrlC.done(interrupted);
    }
    if (dir != null && !interrupted) {
      log.println("best-dev checkpoint, metrics, charts and resumable state in " + dir.path());
    }
    return new Result(model, standing.epochs, data.train().size(), data.tokens(), interrupted);
  }

  private Data load(Options o, ModelConfig config) throws Treebank.DataException, IOException {
    List<Sentence> train = Treebank.load(o.trainFile(), o.column());
    if (o.limit() > 0 && o.limit() < train.size()) {
      train = train.subList(0, o.limit());
    }
    List<Sentence> dev = o.devFile() == null ? List.of() : Treebank.load(o.devFile(), o.column());
    Vocabularies vocab =
        Vocabularies.build(
            train,
            o.column(),
            config.model().minCount(),
            config.training().paddedBatches(),
            config.model().maxWordChars());
    float[][] teacher =
        o.distillation() == null
            ? null
            : o.distillation().targets(train, o.column(), vocab.tags().symbols(), log);
    return new Data(
        vocab, encode(vocab, train, o.column()), encode(vocab, dev, o.column()), teacher);
  }

  private static String describe(
      ModelConfig config, TaggerModel model, Data data, Optimization optimization, int threads) {
    return String.format(
        Locale.ROOT,
        "%s: %,d parameters; %,d words, %,d chars, %d tags; %,d training sentences (%,d tokens),"
            + " %,d dev; %s; %d threads",
        config.preset(),
        model.parameterCount(),
        data.vocab().words().size(),
        data.vocab().chars().size(),
        data.vocab().tags().size(),
        data.train().size(),
        data.tokens(),
        data.dev().size(),
        optimization,
        threads);
  }

  /** The saved weights, optimizer state and position of the run in {@code dir}. */
  private Standing resume(Path dir, TaggerModel model, Data data, Optimization optimization)
      throws IOException {
    TaggerModel saved = Checkpoint.load(dir.resolve(TrainingState.WEIGHTS_FILE)).model();
    if (!saved.vocabularies().words().symbols().equals(data.vocab().words().symbols())) {
      throw new Checkpoint.CheckpointException(
          dir, "the training data changed since the run was saved");
    }
    copyWeights(saved, model);
    TrainingState.Position p =
        TrainingState.load(dir, optimization.adam, optimization.average, true);
    Standing s = new Standing();
    s.epochs.addAll(p.epochs());
    s.bestDev = p.bestDev();
    s.bestEpoch = p.bestEpoch();
    s.nextEpoch = p.nextEpoch();
    s.nextBatch = p.nextBatch();
    log.printf(Locale.ROOT, "resuming at epoch %d, batch %d%n", s.nextEpoch, s.nextBatch);
    return s;
  }

  /**
   * One epoch's training pass, from batch {@code firstBatch}.
   *
   * @param stoppedAt the batch a stop request came before, or -1 when the pass ran to its end
   */
  private record Pass(double lossSum, int updates, double seconds, int stoppedAt) {
    Epoch figures(int epoch, int sentences, long tokens, Evaluation dev) {
      return new Epoch(
          epoch,
          lossSum / Math.max(1, updates),
          seconds,
          sentences / seconds,
          tokens / seconds,
          dev == null ? Double.NaN : dev.accuracy(),
          dev == null ? Double.NaN : dev.oovAccuracy());
    }
  }

  private Pass trainEpoch(
      TaggerModel model,
      Optimization optimization,
      Data data,
      Options o,
      int epoch,
      int firstBatch) {
    List<EncodedSentence> train = data.train();
    TrainingSettings t = o.config().training();
    List<Integer> order = epochOrder(train.size(), t, epoch);
    int batches = (train.size() + t.batchSize() - 1) / t.batchSize();
    double lossSum = 0;
    int updates = 0;
    long start = System.nanoTime();
    long lastReport = start;
    for (int b = firstBatch; b < batches; b++) {
      if (stopRequested) {
        return new Pass(lossSum, updates, (System.nanoTime() - start) / 1e9, b);
      }
      int from = b * t.batchSize();
      int to = Math.min(order.size(), from + t.batchSize());
      List<EncodedSentence> batch = new ArrayList<>(to - from);
      List<float[]> teacher = data.teacher() == null ? null : new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        batch.add(train.get(order.get(i)));
        if (teacher != null) {
          teacher.add(data.teacher()[order.get(i)]);
        }
      }
      optimization.zeroGrad();
      Tape tape = Tape.training();
      Tensor logProbs = model.forward(tape, batch, batchRandom(t.seed(), epoch, b));
      Tensor loss =
          teacher == null
              ? model.loss(tape, logProbs, batch)
              : model.distillationLoss(tape, logProbs, batch, teacher, o.distillation());
      tape.backward(loss);
      optimization.step();
      lossSum += loss.data[0];
      updates++;
      long now = System.nanoTime();
      listener.batch(epoch, t.epochs(), to, order.size());
      if (now - lastReport > PROGRESS_EVERY_NANOS) {
        lastReport = now;
        double rate = (to - firstBatch * t.batchSize()) / ((now - start) / 1e9);
        log.printf(
            Locale.ROOT,
            "epoch %d/%d  %,d/%,d sentences  %,.0f sent/s  loss %.4f  ETA %s%n",
            epoch,
            t.epochs(),
            to,
            order.size(),
            rate,
            lossSum / updates,
            formatDuration((order.size() - to) / rate));
      }
    }
    return new Pass(lossSum, updates, (System.nanoTime() - start) / 1e9, -1);
  }

  private static String epochLine(Epoch e, int epochs, boolean hasDev, boolean best) {
    return String.format(
        Locale.ROOT,
        "epoch %d/%d done in %.1fs: %,.0f sent/s, %,.0f tokens/s, loss %.4f%s",
        e.epoch(),
        epochs,
        e.seconds(),
        e.sentencesPerS(),
        e.tokensPerS(),
        e.loss(),
        !hasDev
            ? ""
            : String.format(
                Locale.ROOT,
                ", dev accuracy %.2f%% (unseen words %.2f%%)%s",
                100 * e.devAccuracy(),
                100 * e.devOovAccuracy(),
                best ? ", best so far" : ""));
  }

  /**
   * While training into a directory, Ctrl-C asks the loop to stop and waits (bounded) until it has
   * saved its state, so that {@code --resume} can continue the run.
   */
  private final class CtrlC implements AutoCloseable {
    private final CountDownLatch saved = new CountDownLatch(1);
    private final Thread hook;
    private boolean interrupted;

    CtrlC(boolean enabled) {
      hook = enabled ? new Thread(this::stopAndWait, "ctrl-c") : null;
      if (hook != null) {
        Runtime.getRuntime().addShutdownHook(hook);
      }
    }

    /** The loop ended; {@code interrupted} if by the hook's request. */
    void done(boolean interrupted) {
      this.interrupted = interrupted;
    }

    private void stopAndWait() {
      requestStop();
      try {
        saved.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      saved.countDown();
      if (hook != null && !interrupted) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // The JVM is already exiting; the hook has been released by the latch.
        }
      }
    }
  }

  /** The visiting order of an epoch: fixed by (seed, epoch). */
  static List<Integer> epochOrder(int n, TrainingSettings t, int epoch) {
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    if (t.shuffle()) {
      Collections.shuffle(order, new Random(t.seed() * 1_000_003L + epoch));
    }
    return order;
  }

  /** The dropout and word-dropout randomness of one batch: fixed by (seed, epoch, batch). */
  static SplittableRandom batchRandom(long seed, int epoch, int batch) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0x100000001B3L + batch);
  }

  private static void copyWeights(TaggerModel from, TaggerModel to) {
    Map<String, Tensor> src = from.parameters();
    for (var e : to.parameters().entrySet()) {
      e.getValue().copyFrom(src.get(e.getKey()));
    }
  }

  private static List<EncodedSentence> encode(
      Vocabularies vocab, List<Sentence> sentences, TagColumn column) {
    List<EncodedSentence> out = new ArrayList<>(sentences.size());
    for (Sentence s : sentences) {
      out.add(vocab.encode(s, column));
    }
    return out;
  }

  static String formatDuration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
