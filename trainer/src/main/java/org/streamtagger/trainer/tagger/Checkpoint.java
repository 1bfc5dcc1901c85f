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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * A trained tagger on disk: everything needed to rebuild it and nothing else.
 *
 * <pre>
 *   magic   8 bytes  "STGCKPT\0"
 *   version int      FORMAT_VERSION
 *   header  int length + UTF-8 JSON: config, vocabularies, tag column, info
 *   tensors int count, then per tensor: name (UTF), rank, dims, float32 values
 *   end     8 bytes  "STGCKEND"
 * </pre>
 *
 * A file that is not a checkpoint, comes from another format version, or ends early is refused with
 * a message that says which.
 */
public final class Checkpoint {
  public static final String FILE_NAME = "model.ckpt";
  public static final int FORMAT_VERSION = 1;
  private static final byte[] MAGIC = "STGCKPT\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "STGCKEND".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A loaded tagger with what was stored beside it.
   *
   * @param model the tagger, weights restored
   * @param column the tag column it predicts
   * @param info free-form facts about its training (data, accuracy, epochs, version, time)
   */
  public record Loaded(TaggerModel model, TagColumn column, Map<String, Object> info) {}

  private Checkpoint() {}

  /** Writes atomically: a reader never sees a half-written file. */
  public static void save(Path file, TaggerModel model, TagColumn column, Map<String, Object> info)
      throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("config", model.config().asMap());
    Vocabularies v = model.vocabularies();
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
      out.write(END);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads a checkpoint file (or {@code model.ckpt} inside a directory).
   *
   * @throws CheckpointException if the file is not a checkpoint of this format version, is
   *     truncated, or does not fit its own header
   * @throws java.nio.file.NoSuchFileException if there is no such file
   */
  public static Loaded load(Path path) throws IOException {
    Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new CheckpointException(file, "not a tagger checkpoint (wrong magic number)");
      }
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
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
      ModelConfig config = ModelConfig.fromMap(castMap(header.get("config")));
      Vocabularies vocab =
          new Vocabularies(
              new Vocabulary(castList(header.get("words"))),
              new Vocabulary(castList(header.get("chars"))),
              new Vocabulary(castList(header.get("tags"))),
              ((Number) header.get("max_word_chars")).intValue(),
              Set.copyOf(castList(header.getOrDefault("rare_words", List.of()))));
      TaggerModel model = new TaggerModel(config, vocab);
      Map<String, Tensor> params = model.parameters();
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
      byte[] end = new byte[END.length];
      in.readFully(end);
      if (!Arrays.equals(end, END)) {
        throw new CheckpointException(file, "corrupt: end marker missing");
      }
      TagColumn column = TagColumn.parse((String) header.get("column"));
      return new Loaded(model, column, castMap(header.get("info")));
    } catch (EOFException e) {
      throw new CheckpointException(file, "truncated: the file ends early");
    } catch (JacksonException
        | ClassCastException
        | NullPointerException
        | IllegalArgumentException e) {
      throw new CheckpointException(file, "corrupt header: " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(Object o) {
    return (List<String>) o;
  }

  /** A checkpoint file that cannot be used, with the reason. */
  public static final class CheckpointException extends IOException {
    public CheckpointException(Path file, String problem) {
      super(file + ": " + problem);
    }
  }
}
