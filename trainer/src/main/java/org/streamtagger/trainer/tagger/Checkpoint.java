package org.streamtagger.trainer.tagger;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Set;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.data.Vocabularies;
import org.streamtagger.trainer.data.Vocabulary;

/**
 * A trained tagger on disk, or an ensemble of taggers that share their vocabularies: everything
 * needed to rebuild it and nothing else.
 *
 * <pre>
 *   magic   8 bytes  "STGCKPT\0"
 *   version int      FORMAT_VERSION
 *   header  int length + UTF-8 JSON: members (one config each), vocabularies, tag column, info
 *   tensors per member: int count, then per tensor: name (UTF), rank, dims, float32 values
 *   end     8 bytes  "STGCKEND"
 * </pre>
 *
 * Version 1 files (one model, its config under {@code config}) are still read. A file that is not a
 * checkpoint, comes from another format version, or ends early is refused with a message that says
 * which.
 */
public final class Checkpoint {
  public static final String FILE_NAME = "model.ckpt";
  public static final int FORMAT_VERSION = 2;
  private static final int SINGLE_MODEL_VERSION = 1;
  private static final byte[] MAGIC = "STGCKPT\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "STGCKEND".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A loaded tagger (or ensemble) with what was stored beside it.
   *
   * @param members the tagger, or the ensemble's taggers, weights restored
   * @param column the tag column it predicts
   * @param info free-form facts about its training (data, accuracy, epochs, version, time)
   */
  public record Loaded(List<TaggerModel> members, TagColumn column, Map<String, Object> info) {
    public Loaded {
      members = List.copyOf(members);
    }

    /**
     * The one model of a single-model checkpoint.
     *
     * @throws IllegalStateException for an ensemble
     */
    public TaggerModel model() {
      if (members.size() != 1) {
        throw new IllegalStateException(
            "an ensemble of " + members.size() + " models, not a single model");
      }
      return members.get(0);
    }

    /** The vocabularies all members share. */
    public Vocabularies vocabularies() {
      return members.get(0).vocabularies();
    }

    /** The model, or the ensemble of all members. */
    public Predictor predictor() {
      return members.size() == 1 ? members.get(0) : new Ensemble(members);
    }
  }

  private Checkpoint() {}

  /** Writes one model atomically: a reader never sees a half-written file. */
  public static void save(Path file, TaggerModel model, TagColumn column, Map<String, Object> info)
      throws IOException {
    save(file, List.of(model), column, info);
  }

  /**
   * Writes a model or an ensemble atomically.
   *
   * @throws IllegalArgumentException if the members' vocabularies differ
   */
  public static void save(
      Path file, List<TaggerModel> members, TagColumn column, Map<String, Object> info)
      throws IOException {
    new Ensemble(members); // the members must fit together
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("members", members.stream().map(m -> m.config().asMap()).toList());
    Vocabularies v = members.get(0).vocabularies();
    header.put("words", v.words().symbols());
    header.put("chars", v.chars().symbols());
    header.put("tags", v.tags().symbols());
    header.put("max_word_chars", v.maxWordChars());
    header.put("rare_words", v.rareWords().stream().sorted().toList());
    header.put("column", column.name());
    header.put("info", info);
    byte[] json = JSON.writeValueAsBytes(header);

    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
      out.write(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeInt(json.length);
      out.write(json);
      for (TaggerModel model : members) {
        Map<String, Tensor> params = model.parameters();
        out.writeInt(params.size());
        for (var e : params.entrySet()) {
          Tensor t = e.getValue();
          out.writeUTF(e.getKey());
          out.writeInt(t.rank());
          for (int d : t.shape()) {
            out.writeInt(d);
          }
          ByteBuffer buf = ByteBuffer.allocate(t.size() * Float.BYTES);
          buf.asFloatBuffer().put(t.data);
          out.write(buf.array());
        }
      }
      out.write(END);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether {@code path} is a checkpoint file or a training directory that holds one. */
  public static boolean isCheckpoint(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads a checkpoint file (or {@code model.ckpt} inside a directory).
   *
   * @throws CheckpointException if the file is not a checkpoint of this format version, is
   *     truncated, or does not fit its own header
   * @throws java.nio.file.NoSuchFileException if there is no such file
   */
  public static Loaded load(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path + ": no such checkpoint file or training directory");
    }
    Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          path + ": a directory without " + FILE_NAME + " (not a finished training run)");
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new CheckpointException(file, "not a tagger checkpoint (wrong magic number)");
      }
      int version = in.readInt();
      if (version != FORMAT_VERSION && version != SINGLE_MODEL_VERSION) {
        throw new CheckpointException(
            file,
            "checkpoint format version "
                + version
                + ", this trainer reads version "
                + FORMAT_VERSION);
      }
      byte[] json = new byte[in.readInt()];
      in.readFully(json);
      Map<String, Object> header = JSON.readValue(json, new TypeReference<>() {});
      List<Object> configs =
          version == SINGLE_MODEL_VERSION
              ? List.of(header.get("config"))
              : castList(header.get("members"));
      if (configs.isEmpty()) {
        throw new CheckpointException(file, "corrupt header: no models");
      }
      Vocabularies vocab =
          new Vocabularies(
              new Vocabulary(castList(header.get("words"))),
              new Vocabulary(castList(header.get("chars"))),
              new Vocabulary(castList(header.get("tags"))),
              ((Number) header.get("max_word_chars")).intValue(),
              Set.copyOf(castList(header.getOrDefault("rare_words", List.of()))));
      List<TaggerModel> members = new ArrayList<>();
      for (Object config : configs) {
        TaggerModel model = new TaggerModel(ModelConfig.fromMap(castMap(config)), vocab);
        readTensors(in, file, model.parameters());
        members.add(model);
      }
      byte[] end = new byte[END.length];
      in.readFully(end);
      if (!Arrays.equals(end, END)) {
        throw new CheckpointException(file, "corrupt: end marker missing");
      }
      TagColumn column = TagColumn.parse((String) header.get("column"));
      return new Loaded(members, column, castMap(header.get("info")));
    } catch (EOFException e) {
      throw new CheckpointException(file, "truncated: the file ends early");
    } catch (JacksonException
        | ClassCastException
        | NullPointerException
        | IllegalArgumentException e) {
      throw new CheckpointException(file, "corrupt header: " + e.getMessage());
    }
  }

  private static void readTensors(DataInputStream in, Path file, Map<String, Tensor> params)
      throws IOException {
    int count = in.readInt();
    if (count != params.size()) {
      throw new CheckpointException(
          file, "holds " + count + " tensors, its model has " + params.size());
    }
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      Tensor target = params.get(name);
      int[] shape = new int[in.readInt()];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = in.readInt();
      }
      if (target == null || !Arrays.equals(shape, target.shape())) {
        throw new CheckpointException(
            file, "tensor " + name + Arrays.toString(shape) + " does not fit the model");
      }
      byte[] bytes = new byte[target.size() * Float.BYTES];
      in.readFully(bytes);
      ByteBuffer.wrap(bytes).asFloatBuffer().get(target.data);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> castList(Object o) {
    return (List<T>) o;
  }

  /** A checkpoint file that cannot be used, with the reason. */
  public static final class CheckpointException extends IOException {
    public CheckpointException(Path file, String problem) {
      super(file + ": " + problem);
    }
  }
}
