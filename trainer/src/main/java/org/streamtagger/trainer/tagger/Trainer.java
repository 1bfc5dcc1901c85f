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
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.autograd.Tape;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.data.EncodedSentence;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.data.Vocabularies;
import org.streamtagger.trainer.optim.Adam;
import org.streamtagger.trainer.optim.GradientClipping;
import org.streamtagger.trainer.optim.Optimizer;
import org.streamtagger.trainer.optim.Sgd;

/**
 * The training loop, flat: config → seed → data → model → optimizer → epochs of (forward, backward,
 * clip, step, progress) → dev evaluation → best-dev checkpoint and metrics.
 */
public final class Trainer {
  public static final String METRICS_FILE = "metrics.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

  /**
   * What to train and where.
   *
   * @param config the model and its training
   * @param trainFile CoNLL-U training data
   * @param devFile CoNLL-U data to choose on, or null for none
   * @param outDir where the checkpoint and metrics go, or null to keep nothing (benchmarks)
   * @param column the tag column to learn
   * @param threads threads for evaluation (and batched training)
   * @param limit train on the first {@code limit} sentences only; 0 for all
   */
  public record Options(
      ModelConfig config,
      Path trainFile,
      Path devFile,
      Path outDir,
      TagColumn column,
      int threads,
      int limit) {}

  /**
   * One epoch's figures.
   *
   * @param epoch 1-based
   * @param loss mean training loss per update
   * @param seconds wall time of the training pass (no evaluation)
   * @param sentencesPerS training sentences per second
   * @param tokensPerS training tokens per second
   * @param devAccuracy dev token accuracy, or NaN without dev data
   * @param devOovAccuracy dev accuracy on words unknown to the model, or NaN
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
   * @param model the model after the last epoch
   * @param epochs per-epoch figures
   * @param sentences training sentences per epoch
   * @param tokens training tokens per epoch
   */
  public record Result(TaggerModel model, List<Epoch> epochs, int sentences, long tokens) {}

  private final PrintStream log;

  /** A trainer that reports progress to {@code log} (standard error for the command line). */
  public Trainer(PrintStream log) {
    this.log = log;
  }

  /** Trains, evaluating on dev after every epoch and keeping the best-dev checkpoint. */
  public Result train(Options o) throws Treebank.DataException, IOException {
    ModelConfig config = o.config().validate();
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
    Optimizer optimizer =
        config.optimizer().equals("adam")
            ? new Adam(params, config.lr())
            : new Sgd(params, config.lr());
    log.printf(
        Locale.ROOT,
        "%s: %,d parameters; %,d words, %,d chars, %d tags; %,d training sentences (%,d tokens),"
            + " %,d dev; %s%n",
        config.preset(),
        model.parameterCount(),
        vocab.words().size(),
        vocab.chars().size(),
        vocab.tags().size(),
        train.size(),
        tokens,
        dev.size(),
        optimizer);

    SplittableRandom random = new SplittableRandom(config.seed() + 1);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      order.add(i);
    }
    List<Epoch> epochs = new ArrayList<>();
    double bestDev = -1;
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      if (config.shuffle()) {
        Collections.shuffle(order, new Random(random.nextLong()));
      }
      double lossSum = 0;
      int updates = 0;
      long start = System.nanoTime();
      long lastReport = start;
      for (int from = 0; from < order.size(); from += config.batchSize()) {
        List<EncodedSentence> batch = new ArrayList<>(config.batchSize());
        for (int i = from; i < Math.min(order.size(), from + config.batchSize()); i++) {
          batch.add(train.get(order.get(i)));
        }
        optimizer.zeroGrad();
        Tape tape = Tape.training();
        Tensor loss = model.loss(tape, model.forward(tape, batch, random), batch);
        tape.backward(loss);
        if (config.clipNorm() > 0f) {
          GradientClipping.clipGlobalNorm(params, config.clipNorm());
        }
        optimizer.step();
        lossSum += loss.data[0];
        updates++;

        long now = System.nanoTime();
        if (now - lastReport > PROGRESS_EVERY_NANOS) {
          lastReport = now;
          int done = Math.min(order.size(), from + config.batchSize());
          double rate = done / ((now - start) / 1e9);
          log.printf(
              Locale.ROOT,
              "epoch %d/%d  %,d/%,d sentences  %,.0f sent/s  loss %.4f  ETA %s%n",
              epoch,
              config.epochs(),
              done,
              order.size(),
              rate,
              lossSum / updates,
              formatDuration((order.size() - done) / rate));
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Evaluation devEval = dev.isEmpty() ? null : Evaluation.of(model, dev, o.threads());
      Epoch e =
          new Epoch(
              epoch,
              lossSum / updates,
              seconds,
              train.size() / seconds,
              tokens / seconds,
              devEval == null ? Double.NaN : devEval.accuracy(),
              devEval == null ? Double.NaN : devEval.oovAccuracy());
      epochs.add(e);
      boolean best = devEval != null && devEval.accuracy() > bestDev;
      if (best) {
        bestDev = devEval.accuracy();
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
                  ", dev accuracy %.2f%% (unknown words %.2f%%)%s",
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
        writeMetrics(o, model, epochs, train.size(), tokens);
      }
    }
    if (o.outDir() != null) {
      log.println("checkpoint and " + METRICS_FILE + " in " + o.outDir());
    }
    return new Result(model, epochs, train.size(), tokens);
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
