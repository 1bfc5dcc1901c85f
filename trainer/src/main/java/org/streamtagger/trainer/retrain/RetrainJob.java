package org.streamtagger.trainer.retrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.trainer.autograd.Parallel;
import org.streamtagger.trainer.data.Treebank;
import org.streamtagger.trainer.onnx.ExportMetadata;
import org.streamtagger.trainer.onnx.OnnxEvaluation;
import org.streamtagger.trainer.onnx.OnnxExporter;
import org.streamtagger.trainer.tagger.Checkpoint;
import org.streamtagger.trainer.tagger.EnsembleBuild;
import org.streamtagger.trainer.tagger.Evaluation;
import org.streamtagger.trainer.tagger.EvaluationReport;
import org.streamtagger.trainer.tagger.TaggerModel;
import org.streamtagger.trainer.tagger.Trainer;
import org.streamtagger.trainer.tagger.TrainingState;

/**
 * The whole retraining recipe as one resumable job in one directory: the members of {@link
 * RetrainPlan}, their ensemble rounded to half precision, its export, the evaluation of the
 * candidate and of the model it would replace on the same data, the {@link QualityGate}, and the
 * model card. {@code retrain.json} records the plan and every finished step, written after each; a
 * job stopped anywhere (Ctrl-C saves a member's training state, a crash loses at most the epoch or
 * step under way) goes on from there when run again. Every output is written under a temporary name
 * and moved into place, so a step is either done or redone.
 */
public final class RetrainJob {
  public static final String STATE_FILE = "retrain.json";
  public static final String MODEL_FILE = "model.onnx";
  public static final String ENSEMBLE_FILE = "ensemble.ckpt";
  public static final String LOG_FILE = "retrain.log";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final TagColumn COLUMN = TagColumn.UPOS;

  /**
   * How the job ended.
   *
   * @param interrupted stopped before its end (run it again to go on)
   * @param gate the gate's decision (null when interrupted)
   * @param model the exported candidate
   * @param card the model card (Markdown; the JSON beside it)
   */
  public record Outcome(boolean interrupted, QualityGate gate, Path model, Path card) {}

  private final Path dir;
  private final RetrainPlan plan;
  private final int threads;
  private final Map<String, Object> state;
  private final JobProgress progress;
  private volatile Trainer trainer;
  private volatile boolean stop;

  private RetrainJob(
      Path dir, RetrainPlan plan, int threads, Map<String, Object> state, PrintStream out) {
    this.dir = dir;
    this.plan = plan;
    this.threads = threads;
    this.state = state;
    this.progress = new JobProgress(out, steps(plan), plan.members().size(), plan.patience());
  }

  private static int steps(RetrainPlan plan) {
    return plan.members().size() + 4;
  }

  /**
   * A new job in {@code dir}, or the one already there (which must have the same plan: the data,
   * recipe and gate it started with). Every data file is read first, so that a missing or malformed
   * treebank fails here, naming the file and line, before anything trains.
   *
   * @param out where the progress line goes
   * @throws IllegalArgumentException if {@code dir} holds another job or other files
   * @throws Treebank.DataException if a data file cannot serve
   */
  @SuppressWarnings("unchecked")
  public static RetrainJob open(Path dir, RetrainPlan plan, int threads, PrintStream out)
      throws IOException, Treebank.DataException {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    Path stateFile = dir.resolve(STATE_FILE);
    Map<String, Object> state;
    RetrainPlan effective = plan;
    if (Files.isRegularFile(stateFile)) {
      state = JSON.readValue(stateFile.toFile(), LinkedHashMap.class);
      RetrainPlan started = RetrainPlan.fromMap((Map<String, Object>) state.get("plan"));
      List<String> differences = plan.differencesFrom(started);
      if (!differences.isEmpty()) {
        throw new IllegalArgumentException(
            dir
                + " holds a retraining job started with other settings ("
                + String.join("; ", differences)
                + "): run it with those, or name another --out");
      }
      effective = started;
      out.println("retrain: going on with the job in " + dir + " (" + done(state) + " done)");
    } else {
      if (Files.isDirectory(dir)) {
        try (var files = Files.list(dir)) {
          if (files.findAny().isPresent()) {
            throw new IllegalArgumentException(
                "--out " + dir + " is not empty and holds no retraining job: name another");
          }
        }
      } else if (Files.exists(dir)) {
        throw new IllegalArgumentException("--out " + dir + " is a file, not a directory");
      }
      state = new LinkedHashMap<>();
      state.put("plan", plan.asMap());
      state.put("done", new LinkedHashMap<String, Object>());
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("train", describe(effective.train()));
    data.put("dev", describe(effective.dev()));
    if (effective.test() != null) {
      data.put("test", describe(effective.test()));
    }
    state.put("data", data);
    Files.createDirectories(dir);
    RetrainJob job = new RetrainJob(dir, effective, threads, state, out);
    job.save();
    return job;
  }

  @SuppressWarnings("unchecked")
  private static String done(Map<String, Object> state) {
    Map<String, Object> done = (Map<String, Object>) state.get("done");
    return done.isEmpty() ? "no step" : String.join(", ", done.keySet());
  }

  /** Reads the whole file as training or evaluation data; its size and SHA-256 for the card. */
  private static Map<String, Object> describe(Path file)
      throws IOException, Treebank.DataException {
    List<Sentence> sentences = Treebank.load(file, COLUMN);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", file.toAbsolutePath().normalize().toString());
    m.put("sha256", OnnxTagger.sha256Of(Files.readAllBytes(file)));
    m.put("sentences", sentences.size());
    m.put("tokens", sentences.stream().mapToInt(Sentence::size).sum());
    return m;
  }

  /** The plan this job follows (with the version it started with). */
  public RetrainPlan plan() {
    return plan;
  }

  /** Asks the job to stop at the next point it can go on from (a member saves its state). */
  public void requestStop() {
    stop = true;
    Trainer t = trainer;
    if (t != null) {
      t.requestStop();
    }
  }

  /** Runs every step not done yet. */
  public Outcome run() throws IOException, Treebank.DataException {
    try (PrintStream log =
        new PrintStream(
            Files.newOutputStream(
                dir.resolve(LOG_FILE), StandardOpenOption.CREATE, StandardOpenOption.APPEND),
            true,
            StandardCharsets.UTF_8)) {
      List<RetrainPlan.Member> members = plan.members();
      List<Path> memberDirs = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        RetrainPlan.Member m = members.get(i);
        memberDirs.add(dir.resolve(m.name()));
        if (stop || !member(i + 1, m, log)) {
          return interrupted();
        }
      }
      int step = members.size();
      if (stop || !step(++step, "ensemble", () -> ensemble(memberDirs, log))) {
        return interrupted();
      }
      if (stop || !step(++step, "export", this::export)) {
        return interrupted();
      }
      if (stop || !step(++step, "evaluate", this::evaluate)) {
        return interrupted();
      }
      progress.step(++step, "gate and model card", 0);
      return finish();
    }
  }

  private Outcome interrupted() {
    if (!progress.toldStopped()) {
      progress.say("stopped; run the same command again to go on from here");
    }
    return new Outcome(true, null, null, null);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> done() {
    return (Map<String, Object>) state.get("done");
  }

  /** A step's work: its results for the state file. */
  private interface Work {
    Map<String, Object> run() throws IOException, Treebank.DataException;
  }

  private boolean step(int n, String name, Work work) throws IOException, Treebank.DataException {
    if (done().containsKey(name)) {
      return true;
    }
    progress.step(n, name, 0);
    done().put(name, work.run());
    save();
    return true;
  }

  /** Trains (or goes on training) one member; false if it was stopped. */
  private boolean member(int n, RetrainPlan.Member m, PrintStream log)
      throws IOException, Treebank.DataException {
    Path memberDir = dir.resolve(m.name());
    if (done().containsKey(m.name())) {
      progress.memberDone(((Number) member(m).get("epochs")).intValue());
      return true;
    }
    progress.step(n, "train " + m.name(), n);
    Trainer t = new Trainer(log, progress);
    trainer = t;
    if (stop) {
      return false;
    }
    Trainer.Result r =
        Files.isRegularFile(memberDir.resolve(TrainingState.FILE_NAME))
            ? t.resume(memberDir, threads, 0)
            : t.train(
                new Trainer.Options(
                    plan.config(m),
                    plan.train(),
                    plan.dev(),
                    memberDir,
                    COLUMN,
                    threads,
                    0,
                    plan.patience()));
    trainer = null;
    if (r.interrupted()) {
      return false;
    }
    int best = 0;
    double seconds = 0;
    for (Trainer.Epoch e : r.epochs()) {
      seconds += e.seconds();
      if (best == 0 || e.devAccuracy() > r.epochs().get(best - 1).devAccuracy()) {
        best = e.epoch();
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("config", plan.config(m).asMap());
    result.put("parameters", r.model().parameterCount());
    result.put("epochs", r.epochs().size());
    result.put("best_epoch", best);
    result.put("best_dev_accuracy", best == 0 ? null : r.epochs().get(best - 1).devAccuracy());
    result.put("training_seconds", seconds);
    done().put(m.name(), result);
    save();
    progress.memberDone(r.epochs().size());
    return true;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> member(RetrainPlan.Member m) {
    return (Map<String, Object>) done().get(m.name());
  }

  private Map<String, Object> ensemble(List<Path> members, PrintStream log)
      throws IOException, Treebank.DataException {
    Path part = dir.resolve(ENSEMBLE_FILE + ".part");
    EnsembleBuild.Built built = EnsembleBuild.build(members, true, plan.dev(), part, threads, log);
    Files.move(part, dir.resolve(ENSEMBLE_FILE), StandardCopyOption.REPLACE_EXISTING);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("member_dev_accuracies", built.memberDev());
    m.put("dev_accuracy_before_fp16", built.devBeforeRounding());
    m.put("dev_accuracy", built.dev());
    m.put("dev_oov_accuracy", built.devOov());
    return m;
  }

  private Map<String, Object> export() throws IOException, Treebank.DataException {
    Checkpoint.Loaded loaded = Checkpoint.load(dir.resolve(ENSEMBLE_FILE));
    double test = Double.NaN;
    if (plan.test() != null) {
      Parallel.setThreads(1);
      test =
          Evaluation.of(
                  loaded.predictor(),
                  Treebank.loadEncoded(plan.test(), COLUMN, loaded.vocabularies()),
                  threads)
              .accuracy();
    }
    Path part = dir.resolve(MODEL_FILE + ".part");
    OnnxExporter.export(
        loaded.members(), ExportMetadata.of(loaded, plan.name(), plan.version(), test), part);
    Files.move(part, dir.resolve(MODEL_FILE), StandardCopyOption.REPLACE_EXISTING);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", MODEL_FILE);
    m.put("bytes", Files.size(dir.resolve(MODEL_FILE)));
    m.put("sha256", OnnxTagger.sha256Of(Files.readAllBytes(dir.resolve(MODEL_FILE))));
    m.put("name", plan.name());
    m.put("version", plan.version());
    m.put("members", loaded.members().size());
    m.put("parameters", loaded.members().stream().mapToLong(TaggerModel::parameterCount).sum());
    m.put("words", loaded.vocabularies().words().size());
    m.put("chars", loaded.vocabularies().chars().size());
    m.put("tags", loaded.vocabularies().tags().size());
    return m;
  }

  /** The candidate and the baseline, on dev and test, in ONNX Runtime as the stream runs them. */
  private Map<String, Object> evaluate() throws IOException, Treebank.DataException {
    Path model = dir.resolve(MODEL_FILE);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("candidate", scores(model));
    Map<String, Object> baseline = scores(plan.baseline());
    baseline.put(
        "model", plan.baseline() == null ? "bundled " + OnnxTagger.BUNDLED_MODEL : plan.baseline());
    m.put("baseline", baseline);
    return m;
  }

  private Map<String, Object> scores(Path model) throws IOException, Treebank.DataException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "dev",
        EvaluationReport.asMap(OnnxEvaluation.of(model, plan.dev(), COLUMN, threads).eval(), 10));
    if (plan.test() != null) {
      m.put(
          "test",
          EvaluationReport.asMap(
              OnnxEvaluation.of(model, plan.test(), COLUMN, threads).eval(), 10));
    }
    List<List<String>> sentences = new ArrayList<>();
    for (Sentence s : Treebank.load(plan.dev(), COLUMN)) {
      sentences.add(s.forms());
    }
    InferenceCost cost = InferenceCost.measure(model, sentences);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("tokens_per_s_batch_64", cost.tokensPerSecondBatch64());
    c.put("tokens_per_s_batch_1", cost.tokensPerSecondBatch1());
    c.put("intra_op_threads", 1);
    m.put("inference", c);
    return m;
  }

  @SuppressWarnings("unchecked")
  private Outcome finish() throws IOException {
    Map<String, Object> eval = (Map<String, Object>) done().get("evaluate");
    double candidate = accuracy(eval, "candidate");
    double baseline = accuracy(eval, "baseline");
    QualityGate gate = QualityGate.decide(candidate, baseline, plan.marginPoints());
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("accepted", gate.accepted());
    g.put("reason", gate.reason());
    g.put("margin_points", plan.marginPoints());
    state.put("gate", g);
    save();
    Path card = ModelCard.write(dir, state, plan);
    progress.say((gate.accepted() ? "accepted: " : "REFUSED: ") + gate.reason());
    progress.say("model " + dir.resolve(MODEL_FILE) + ", card " + card);
    return new Outcome(false, gate, dir.resolve(MODEL_FILE), card);
  }

  @SuppressWarnings("unchecked")
  private static double accuracy(Map<String, Object> eval, String who) {
    Map<String, Object> dev =
        (Map<String, Object>) ((Map<String, Object>) eval.get(who)).get("dev");
    return ((Number) dev.get("accuracy")).doubleValue();
  }

  /** Writes the state file under a temporary name, then moves it into place. */
  private void save() throws IOException {
    Path part = dir.resolve(STATE_FILE + ".part");
    try (OutputStream out = Files.newOutputStream(part)) {
      JSON.writeValue(out, state);
    }
    Files.move(
        part,
        dir.resolve(STATE_FILE),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
