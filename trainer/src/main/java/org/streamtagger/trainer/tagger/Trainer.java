package org.streamtagger.trainer.tagger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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
import org.streamtagger.trainer.optim.Adam;
import org.streamtagger.trainer.optim.GradientClipping;
import org.streamtagger.trainer.optim.Optimizer;
import org.streamtagger.trainer.optim.Sgd;
import org.streamtagger.trainer.optim.WeightAverage;

/**
 * The training loop, flat: config → seed → data → model → optimizer → epochs of (forward, backward,
 * clip, step, progress) → dev evaluation → best-dev checkpoint, metrics and charts → early stop.
 * Every random choice is derived from (seed, epoch, batch), so a run interrupted with Ctrl-C and
 * resumed from its saved state continues exactly as if it had not stopped.
 */
public final class Trainer {
  public static final String METRICS_FILE = "metrics.json";
  public static final String DEV_EVALUATION_FILE = "dev-evaluation.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
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
   */
  public record Options(
      ModelConfig config,
      Path trainFile,
      Path devFile,
      Path outDir,
      TagColumn column,
      int threads,
      int limit,
      int patience) {}

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

  private final PrintStream log;
  private volatile boolean stopRequested;

  /** A trainer that reports progress to {@code log} (standard error for the command line). */
  public Trainer(PrintStream log) {
    this.log = log;
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
            ((Number) run.get("patience")).intValue());
    return run(o, dir);
  }

  private Result run(Options o, Path resumeFrom) throws Treebank.DataException, IOException {
    ModelConfig config = o.config().validate();
    Parallel.setThreads(o.threads());
    log.println("config: " + config.asMap());

    List<Sentence> trainSentences = Treebank.load(o.trainFile(), o.column());
    if (o.limit() > 0 && o.limit() < trainSentences.size()) {
      trainSentences = trainSentences.subList(0, o.limit());
    }
    List<Sentence> devSentences =
        o.devFile() == null ? List.of() : Treebank.load(o.devFile(), o.column());
    Vocabularies vocab =
        Vocabularies.build(
            trainSentences,
            o.column(),
            config.minCount(),
            config.paddedBatches(),
            config.maxWordChars());
    List<EncodedSentence> train = encode(vocab, trainSentences, o.column());
    List<EncodedSentence> dev = encode(vocab, devSentences, o.column());
    long tokens = train.stream().mapToLong(EncodedSentence::length).sum();

    TaggerModel model = new TaggerModel(config, vocab);
    List<Tensor> params = List.copyOf(model.parameters().values());
    Adam adam = config.optimizer().equals("adam") ? new Adam(params, config.lr()) : null;
    Optimizer optimizer = adam != null ? adam : new Sgd(params, config.lr());
    WeightAverage average =
        config.averageDecay() > 0f ? new WeightAverage(params, config.averageDecay()) : null;
    log.printf(
        Locale.ROOT,
        "%s: %,d parameters; %,d words, %,d chars, %d tags; %,d training sentences (%,d tokens),"
            + " %,d dev; %s; %d threads%n",
        config.preset(),
        model.parameterCount(),
        vocab.words().size(),
        vocab.chars().size(),
        vocab.tags().size(),
        train.size(),
        tokens,
        dev.size(),
        optimizer,
        o.threads());

    List<Epoch> epochs = new ArrayList<>();
    double bestDev = -1;
    int bestEpoch = 0;
    int firstEpoch = 1;
    int firstBatch = 0;
    if (resumeFrom != null) {
      TaggerModel saved = Checkpoint.load(resumeFrom.resolve(TrainingState.WEIGHTS_FILE)).model();
      if (!saved.vocabularies().words().symbols().equals(vocab.words().symbols())) {
        throw new Checkpoint.CheckpointException(
            resumeFrom, "the training data changed since the run was saved");
      }
      copyWeights(saved, model);
      TrainingState.Position p = TrainingState.load(resumeFrom, adam, average, true);
      epochs.addAll(p.epochs());
      bestDev = p.bestDev();
      bestEpoch = p.bestEpoch();
      firstEpoch = p.nextEpoch();
      firstBatch = p.nextBatch();
      log.printf(Locale.ROOT, "resuming at epoch %d, batch %d%n", firstEpoch, firstBatch);
    }

    CountDownLatch saved = new CountDownLatch(1);
    Thread hook = o.outDir() == null ? null : new Thread(() -> stopAndWait(saved), "ctrl-c");
    if (hook != null) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    boolean interrupted = false;
    try {
      int numBatches = (train.size() + config.batchSize() - 1) / config.batchSize();
      for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
        List<Integer> order = epochOrder(train.size(), config, epoch);
        double lossSum = 0;
        int updates = 0;
        long start = System.nanoTime();
        long lastReport = start;
        int batchIndex = epoch == firstEpoch ? firstBatch : 0;
        for (; batchIndex < numBatches; batchIndex++) {
          if (stopRequested) {
            break;
          }
          int from = batchIndex * config.batchSize();
          int to = Math.min(order.size(), from + config.batchSize());
          List<EncodedSentence> batch = new ArrayList<>(to - from);
          for (int i = from; i < to; i++) {
            batch.add(train.get(order.get(i)));
          }
          SplittableRandom random = batchRandom(config.seed(), epoch, batchIndex);
          optimizer.zeroGrad();
          Tape tape = Tape.training();
          Tensor loss = model.loss(tape, model.forward(tape, batch, random), batch);
          tape.backward(loss);
          if (config.clipNorm() > 0f) {
            GradientClipping.clipGlobalNorm(params, config.clipNorm());
          }
          optimizer.step();
          if (average != null) {
            average.update();
          }
          lossSum += loss.data[0];
          updates++;

          long now = System.nanoTime();
          if (now - lastReport > PROGRESS_EVERY_NANOS) {
            lastReport = now;
            double rate =
                (to - firstSentence(epoch, firstEpoch, firstBatch, config)) / ((now - start) / 1e9);
            log.printf(
                Locale.ROOT,
                "epoch %d/%d  %,d/%,d sentences  %,.0f sent/s  loss %.4f  ETA %s%n",
                epoch,
                config.epochs(),
                to,
                order.size(),
                rate,
                lossSum / updates,
                formatDuration((order.size() - to) / rate));
          }
        }
        if (stopRequested) {
          if (o.outDir() != null) {
            saveState(o, model, adam, average, epoch, batchIndex, bestDev, bestEpoch, epochs);
            log.printf(
                Locale.ROOT,
                "interrupted at epoch %d, batch %d: state saved; continue with --resume %s%n",
                epoch,
                batchIndex,
                o.outDir());
          }
          interrupted = true;
          break;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (average != null) {
          average.swap(); // evaluate and save the averaged weights
        }
        Evaluation devEval = dev.isEmpty() ? null : Evaluation.of(model, dev, o.threads());
        Epoch e =
            new Epoch(
                epoch,
                lossSum / Math.max(1, updates),
                seconds,
                train.size() / seconds,
                tokens / seconds,
                devEval == null ? Double.NaN : devEval.accuracy(),
                devEval == null ? Double.NaN : devEval.oovAccuracy());
        epochs.add(e);
        boolean best = devEval != null && devEval.accuracy() > bestDev;
        if (best) {
          bestDev = devEval.accuracy();
          bestEpoch = epoch;
        }
        log.printf(
            Locale.ROOT,
            "epoch %d/%d done in %.1fs: %,.0f sent/s, %,.0f tokens/s, loss %.4f%s%n",
            epoch,
            config.epochs(),
            seconds,
            e.sentencesPerS(),
            e.tokensPerS(),
            e.loss(),
            devEval == null
                ? ""
                : String.format(
                    Locale.ROOT,
                    ", dev accuracy %.2f%% (unseen words %.2f%%)%s",
                    100 * e.devAccuracy(),
                    100 * e.devOovAccuracy(),
                    best ? ", best so far" : ""));
        if (o.outDir() != null) {
          if (best || dev.isEmpty()) {
            Checkpoint.save(
                o.outDir().resolve(Checkpoint.FILE_NAME),
                model,
                o.column(),
                checkpointInfo(o, e, trainSentences.size()));
          }
          if (devEval != null && best) {
            writeDevEvaluation(o, devEval);
          }
          writeMetrics(o, model, epochs, train.size(), tokens);
          TrainingCharts.curves(
              o.outDir().resolve(TrainingCharts.CURVES_FILE),
              config.preset() + " on " + o.trainFile().getFileName(),
              epochs);
        }
        if (average != null) {
          average.swap(); // back to the live weights
        }
        if (o.outDir() != null) {
          saveState(o, model, adam, average, epoch + 1, 0, bestDev, bestEpoch, epochs);
        }
        if (o.patience() > 0 && devEval != null && epoch - bestEpoch >= o.patience()) {
          log.printf(
              Locale.ROOT,
              "early stop: no better dev accuracy for %d epochs (best %.2f%% at epoch %d)%n",
              o.patience(),
              100 * bestDev,
              bestEpoch);
          break;
        }
      }
      if (o.outDir() != null && !interrupted) {
        log.println("best-dev checkpoint, metrics, charts and resumable state in " + o.outDir());
      }
    } finally {
      saved.countDown();
      if (hook != null && !interrupted) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // The JVM is already exiting; the hook has been released by the latch.
        }
      }
    }
    return new Result(model, epochs, train.size(), tokens, interrupted);
  }

  /** The sentence the first timed batch of this epoch started at (for rates after a resume). */
  private static int firstSentence(int epoch, int firstEpoch, int firstBatch, ModelConfig c) {
    return epoch == firstEpoch ? firstBatch * c.batchSize() : 0;
  }

  /** The visiting order of an epoch: fixed by (seed, epoch). */
  static List<Integer> epochOrder(int n, ModelConfig config, int epoch) {
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    if (config.shuffle()) {
      Collections.shuffle(order, new Random(config.seed() * 1_000_003L + epoch));
    }
    return order;
  }

  /** The dropout and word-dropout randomness of one batch: fixed by (seed, epoch, batch). */
  static SplittableRandom batchRandom(long seed, int epoch, int batch) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0x100000001B3L + batch);
  }

  /** Shutdown hook body: ask the loop to stop, then wait (bounded) until its state is saved. */
  private void stopAndWait(CountDownLatch saved) {
    requestStop();
    try {
      saved.await(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void copyWeights(TaggerModel from, TaggerModel to) {
    Map<String, Tensor> src = from.parameters();
    for (var e : to.parameters().entrySet()) {
      e.getValue().copyFrom(src.get(e.getKey()));
    }
  }

  private void saveState(
      Options o,
      TaggerModel model,
      Adam adam,
      WeightAverage average,
      int nextEpoch,
      int nextBatch,
      double bestDev,
      int bestEpoch,
      List<Epoch> epochs)
      throws IOException {
    Files.createDirectories(o.outDir());
    Checkpoint.save(o.outDir().resolve(TrainingState.WEIGHTS_FILE), model, o.column(), Map.of());
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("config", model.config().asMap());
    run.put("train_file", o.trainFile().toAbsolutePath().toString());
    run.put("dev_file", o.devFile() == null ? null : o.devFile().toAbsolutePath().toString());
    run.put("column", o.column().name());
    run.put("limit", o.limit());
    run.put("patience", o.patience());
    TrainingState.save(
        o.outDir(),
        new TrainingState.Position(nextEpoch, nextBatch, bestDev, bestEpoch, epochs, run),
        adam,
        average);
  }

  private static List<EncodedSentence> encode(
      Vocabularies vocab, List<Sentence> sentences, TagColumn column) {
    List<EncodedSentence> out = new ArrayList<>(sentences.size());
    for (Sentence s : sentences) {
      out.add(vocab.encode(s, column));
    }
    return out;
  }

  private static Map<String, Object> checkpointInfo(Options o, Epoch e, int sentences) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("train_file", o.trainFile().getFileName().toString());
    info.put("train_sentences", sentences);
    info.put("dev_file", o.devFile() == null ? null : o.devFile().getFileName().toString());
    info.put("epoch", e.epoch());
    info.put("dev_accuracy", Double.isNaN(e.devAccuracy()) ? null : e.devAccuracy());
    info.put("trainer_version", TrainerVersion.get());
    info.put("created", Instant.now().toString());
    return info;
  }

  private static void writeDevEvaluation(Options o, Evaluation eval) throws IOException {
    Files.createDirectories(o.outDir());
    JSON.writeValue(
        o.outDir().resolve(DEV_EVALUATION_FILE).toFile(), EvaluationReport.asMap(eval, 20));
    TrainingCharts.confusion(
        o.outDir().resolve(TrainingCharts.CONFUSION_FILE),
        "Dev confusions (" + o.column() + "), best epoch",
        eval);
  }

  private static void writeMetrics(
      Options o, TaggerModel model, List<Epoch> epochs, int sentences, long tokens)
      throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("preset", model.config().preset());
    m.put("config", model.config().asMap());
    m.put("column", o.column().name());
    m.put("train_file", o.trainFile().toString());
    m.put("dev_file", o.devFile() == null ? null : o.devFile().toString());
    m.put("parameters", model.parameterCount());
    m.put("train_sentences", sentences);
    m.put("train_tokens", tokens);
    m.put("threads", o.threads());
    List<Map<String, Object>> rows = new ArrayList<>();
    Epoch best = null;
    for (Epoch e : epochs) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("epoch", e.epoch());
      r.put("loss", e.loss());
      r.put("seconds", e.seconds());
      r.put("sentences_per_s", e.sentencesPerS());
      r.put("tokens_per_s", e.tokensPerS());
      r.put("dev_accuracy", Double.isNaN(e.devAccuracy()) ? null : e.devAccuracy());
      r.put("dev_oov_accuracy", Double.isNaN(e.devOovAccuracy()) ? null : e.devOovAccuracy());
      rows.add(r);
      if (best == null || e.devAccuracy() > best.devAccuracy()) {
        best = e;
      }
    }
    m.put("epochs", rows);
    m.put("best_epoch", best == null ? null : best.epoch());
    m.put(
        "best_dev_accuracy",
        best == null || Double.isNaN(best.devAccuracy()) ? null : best.devAccuracy());
    Files.createDirectories(o.outDir());
    JSON.writeValue(o.outDir().resolve(METRICS_FILE).toFile(), m);
  }

  static String formatDuration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
