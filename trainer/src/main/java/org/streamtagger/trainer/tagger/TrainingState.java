package org.streamtagger.trainer.tagger;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.streamtagger.trainer.optim.Adam;
import org.streamtagger.trainer.optim.WeightAverage;

/**
 * Where an interrupted training run stands, so that {@code --resume} continues it exactly: the
 * position (epoch and batch), the best dev result so far, the per-epoch figures, and the
 * optimizer's moments. The weights themselves are in {@code last.ckpt} beside it.
 *
 * <pre>
 *   magic "STGRESUM", version int, header (int length + UTF-8 JSON),
 *   then for Adam: int count, per parameter int size + m + v as float32; "STGRSEND"
 * </pre>
 */
public final class TrainingState {
  public static final String FILE_NAME = "resume.state";
  public static final String WEIGHTS_FILE = "last.ckpt";
  private static final int VERSION = 1;
  private static final byte[] MAGIC = "STGRESUM".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "STGRSEND".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /**
   * The position and history of a run.
   *
   * @param nextEpoch the epoch to run (1-based)
   * @param nextBatch the batch of that epoch to run first
   * @param bestDev best dev accuracy so far, -1 for none
   * @param bestEpoch epoch of {@code bestDev}, 0 for none
   * @param epochs the figures of the finished epochs
   * @param run what the run was started with (files, column, limit, config)
   */
  public record Position(
      int nextEpoch,
      int nextBatch,
      double bestDev,
      int bestEpoch,
      List<Trainer.Epoch> epochs,
      Map<String, Object> run) {}

  private TrainingState() {}

  /**
   * Writes the state (atomically); {@code adam} is null for SGD, {@code average} null without
   * weight averaging.
   */
  public static void save(Path dir, Position position, Adam adam, WeightAverage average)
      throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("next_epoch", position.nextEpoch());
    header.put("next_batch", position.nextBatch());
    header.put("best_dev", position.bestDev());
    header.put("best_epoch", position.bestEpoch());
    List<double[]> rows = new ArrayList<>();
    for (Trainer.Epoch e : position.epochs()) {
      rows.add(
          new double[] {
            e.epoch(),
            e.loss(),
            e.seconds(),
            e.sentencesPerS(),
            e.tokensPerS(),
            e.devAccuracy(),
            e.devOovAccuracy()
          });
    }
    header.put("epochs", rows);
    header.put("run", position.run());
    byte[] json = JSON.writeValueAsBytes(header);
    Path file = dir.resolve(FILE_NAME);
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(json.length);
      out.write(json);
      int count = adam == null ? 0 : adam.parameterCount();
      out.writeInt(count);
      out.writeLong(adam == null ? 0 : adam.steps());
      for (int i = 0; i < count; i++) {
        float[][] mv = adam.moments(i);
        out.writeInt(mv[0].length);
        writeFloats(out, mv[0]);
        writeFloats(out, mv[1]);
      }
      out.writeInt(average == null ? 0 : count(average));
      out.writeLong(average == null ? 0 : average.updates());
      for (int i = 0; average != null && i < count(average); i++) {
        out.writeInt(average.values(i).length);
        writeFloats(out, average.values(i));
      }
      out.write(END);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads the state of {@code dir}; with {@code restoreOptimizer}, also restores the optimizer's
   * moments into {@code adam} (null for SGD).
   */
  public static Position load(Path dir, Adam adam, WeightAverage average, boolean restoreOptimizer)
      throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file + ": no training state to resume from");
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC) || in.readInt() != VERSION) {
        throw new Checkpoint.CheckpointException(file, "not a training state of this version");
      }
      byte[] json = new byte[in.readInt()];
      in.readFully(json);
      Map<String, Object> h = JSON.readValue(json, new TypeReference<>() {});
      if (!restoreOptimizer) {
        return position(h);
      }
      int count = in.readInt();
      long steps = in.readLong();
      int expected = adam == null ? 0 : adam.parameterCount();
      if (count != expected) {
        throw new Checkpoint.CheckpointException(
            file, "optimizer state for " + count + " parameters, the model has " + expected);
      }
      for (int i = 0; i < count; i++) {
        float[][] mv = adam.moments(i);
        if (in.readInt() != mv[0].length) {
          throw new Checkpoint.CheckpointException(file, "optimizer state does not fit");
        }
        readFloats(in, mv[0]);
        readFloats(in, mv[1]);
      }
      if (adam != null) {
        adam.restoreSteps(steps);
      }
      int averaged = in.readInt();
      long averageUpdates = in.readLong();
      if (averaged != (average == null ? 0 : count(average))) {
        throw new Checkpoint.CheckpointException(
            file, "weight average for " + averaged + " parameters does not fit the run");
      }
      for (int i = 0; i < averaged; i++) {
        float[] values = average.values(i);
        if (in.readInt() != values.length) {
          throw new Checkpoint.CheckpointException(file, "weight average does not fit");
        }
        readFloats(in, values);
      }
      if (average != null) {
        average.restoreUpdates(averageUpdates);
      }
      byte[] end = new byte[END.length];
      in.readFully(end);
      if (!Arrays.equals(end, END)) {
        throw new Checkpoint.CheckpointException(file, "corrupt: end marker missing");
      }
      return position(h);
    } catch (EOFException e) {
      throw new Checkpoint.CheckpointException(file, "truncated: the file ends early");
    } catch (JacksonException | ClassCastException | NullPointerException e) {
      throw new Checkpoint.CheckpointException(file, "corrupt header: " + e.getMessage());
    }
  }

  private static Position position(Map<String, Object> h) {
    List<Trainer.Epoch> epochs = new ArrayList<>();
    @SuppressWarnings("unchecked")
    List<List<Number>> rows = (List<List<Number>>) h.get("epochs");
    for (List<Number> r : rows) {
      epochs.add(
          new Trainer.Epoch(
              r.get(0).intValue(),
              d(r.get(1)),
              d(r.get(2)),
              d(r.get(3)),
              d(r.get(4)),
              d(r.get(5)),
              d(r.get(6))));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> run = (Map<String, Object>) h.get("run");
    return new Position(
        ((Number) h.get("next_epoch")).intValue(),
        ((Number) h.get("next_batch")).intValue(),
        ((Number) h.get("best_dev")).doubleValue(),
        ((Number) h.get("best_epoch")).intValue(),
        epochs,
        run);
  }

  private static int count(WeightAverage average) {
    return average.parameterCount();
  }

  private static double d(Number n) {
    return n == null ? Double.NaN : n.doubleValue();
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES);
    buf.asFloatBuffer().put(values);
    out.write(buf.array());
  }

  private static void readFloats(DataInputStream in, float[] into) throws IOException {
    byte[] bytes = new byte[into.length * Float.BYTES];
    in.readFully(bytes);
    ByteBuffer.wrap(bytes).asFloatBuffer().get(into);
  }
}
