package org.streamtagger.trainer.onnx;

import static org.streamtagger.trainer.onnx.OnnxGraph.attr;
import static org.streamtagger.trainer.onnx.OnnxGraph.ints;
import static org.streamtagger.trainer.onnx.OnnxGraph.strings;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.streamtagger.tagging.contract.ModelContract;
import org.streamtagger.tagging.contract.ModelContract.Operator;
import org.streamtagger.trainer.autograd.Tensor;
import org.streamtagger.trainer.data.Vocabularies;
import org.streamtagger.trainer.data.Vocabulary;
import org.streamtagger.trainer.tagger.Ensemble;
import org.streamtagger.trainer.tagger.ModelConfig;
import org.streamtagger.trainer.tagger.TaggerModel;

/**
 * Writes a trained tagger as one self-describing ONNX model (the contract of DESIGN.md).
 *
 * <pre>
 *   inputs   words   string [batch, time]            ("" pads)
 *            chars   int64  [batch, time, max_chars] (code points, 0 pads; the caller truncates
 *                                                     words longer than max_word_chars to their
 *                                                     head and tail, see metadata)
 *            lengths int64  [batch]                  (real tokens per sentence)
 *   outputs  tags       string [batch, time]
 *            tag_ids    int64  [batch, time]
 *            confidence float  [batch, time]          (probability of the chosen tag)
 *            log_probs  float  [batch, time, tags]
 * </pre>
 *
 * Word and character look-ups are {@code ai.onnx.ml.LabelEncoder}s inside the graph; both LSTMs are
 * the standard {@code LSTM} operator (gates reordered from PyTorch's i, f, g, o to ONNX's i, o, f,
 * c) with {@code sequence_lens} for padding. An ensemble's members run side by side in the one
 * graph (initializers prefixed {@code m1_}, {@code m2_}, ...) and {@code log_probs} is the log of
 * their mean probabilities, as in {@link Ensemble}.
 */
public final class OnnxExporter {
  public static final int OPSET = 17;
  public static final int ML_OPSET = 3;

  /** Words up to this many characters run through the character LSTM in a batch of their own. */
  static final int SHORT_WORD = 8;

  private OnnxExporter() {}

  /** Writes {@code model} to {@code file} (atomically) with the given metadata. */
  public static void export(TaggerModel model, Map<String, String> metadata, Path file)
      throws IOException {
    export(List.of(model), metadata, file);
  }

  /** Writes a model or an ensemble's members to {@code file} (atomically). */
  public static void export(List<TaggerModel> members, Map<String, String> metadata, Path file)
      throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory: name the .onnx file to write");
    }
    ModelProto proto = build(members, metadata);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        proto.writeTo(out);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp); // nothing half-written is left behind
    }
  }

  /** The model as an ONNX {@code ModelProto}. */
  public static ModelProto build(TaggerModel model, Map<String, String> metadata) {
    return build(List.of(model), metadata);
  }

  /** A model or an ensemble as an ONNX {@code ModelProto}. */
  public static ModelProto build(List<TaggerModel> members, Map<String, String> metadata) {
    Vocabularies vocab = new Ensemble(members).vocabularies(); // checks that they fit together
    OnnxGraph g = new OnnxGraph("pos_tagger");
    g.input(g.value(ModelContract.WORDS, DataType.STRING, "batch", "time"));
    g.input(g.value(ModelContract.CHARS, DataType.INT64, "batch", "time", "max_chars"));
    g.input(g.value(ModelContract.LENGTHS, DataType.INT64, "batch"));
    Vocabulary words = vocab.words();
    g.node(
        Operator.LABEL_ENCODER,
        List.of(ModelContract.WORDS),
        List.of("word_ids"),
        strings("keys_strings", words.symbols()),
        ints("values_int64s", range(words.size())),
        attr("default_int64", words.unkId()));
    int k = vocab.tags().size();
    String seqLens =
        g.op(Operator.CAST, List.of(ModelContract.LENGTHS), attr("to", DataType.INT32.getNumber()));
    List<String> charFeatures = charFeatures(g, members, vocab);
    if (members.size() == 1) {
      String logits = logits(g, members.get(0), charFeatures.get(0), seqLens);
      g.node(
          Operator.LOG_SOFTMAX,
          List.of(logits),
          List.of(ModelContract.LOG_PROBS),
          attr("axis", -1));
    } else {
      List<String> probs = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        g.scope(memberScope(i));
        String logits = logits(g, members.get(i), charFeatures.get(i), seqLens);
        probs.add(
            g.op(
                Operator.EXP,
                List.of(g.op(Operator.LOG_SOFTMAX, List.of(logits), attr("axis", -1)))));
      }
      g.scope("");
      g.node(Operator.LOG, List.of(g.op(Operator.MEAN, probs)), List.of(ModelContract.LOG_PROBS));
    }
    return finish(g, vocab, k, metadata);
  }

  /**
   * One model's tag scores, {@code [B, T, K]}, from {@code word_ids}, its character features
   * ({@code [B, T, F]}, or null without a character encoder) and the int32 sentence lengths.
   */
  private static String logits(OnnxGraph g, TaggerModel model, String chars, String seqLens) {
    ModelConfig config = model.config();
    Map<String, Tensor> p = model.parameters();
    // Word vectors: [B, T, D].
    Tensor wordTable = p.get("word_embedding.weight");
    String x =
        g.op(
            Operator.GATHER,
            List.of(
                g.floats("word_embedding", wordTable.data, wordTable.dim(0), wordTable.dim(1)),
                "word_ids"));

    if (chars != null) {
      x = g.op(Operator.CONCAT, List.of(x, chars), attr("axis", 2));
    }

    // Sentence (Bi)LSTM layers over time-major input: [T, B, F].
    String h = g.op(Operator.TRANSPOSE, List.of(x), ints("perm", 1, 0, 2));
    for (int l = 0; l < config.model().layers(); l++) {
      String prefix = l == 0 ? "sentence_lstm" : "sentence_lstm" + (l + 1);
      String y = g.fresh("sentence_y");
      lstm(
          g, p, prefix, config.model().bidirectional(), config.model().hidden(), h, seqLens, y, "");
      String tbdh =
          g.op(Operator.TRANSPOSE, List.of(y), ints("perm", 0, 2, 1, 3)); // [T, B, dirs, H]
      h =
          g.op(
              Operator.RESHAPE,
              List.of(tbdh, g.int64s(g.fresh("shape"), new long[] {0, 0, -1}, 3)));
    }
    h = g.op(Operator.TRANSPOSE, List.of(h), ints("perm", 1, 0, 2)); // [B, T, H']

    // Tag scores.
    Tensor w = p.get("output.weight"); // [K, H']
    Tensor b = p.get("output.bias");
    int k = w.dim(0);
    float[] wT = new float[w.size()];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < w.dim(1); j++) {
        wT[j * k + i] = w.data[i * w.dim(1) + j];
      }
    }
    return g.op(
        Operator.ADD,
        List.of(
            g.op(Operator.MAT_MUL, List.of(h, g.floats("output_weight_t", wT, w.dim(1), k))),
            g.floats("output_bias", b.data, k)));
  }

  /** Decisions from {@code log_probs}, the outputs, and the model around the graph. */
  private static ModelProto finish(
      OnnxGraph g, Vocabularies vocab, int k, Map<String, String> metadata) {
    g.node(
        Operator.ARG_MAX,
        List.of(ModelContract.LOG_PROBS),
        List.of(ModelContract.TAG_IDS),
        attr("axis", 2),
        attr("keepdims", 0));
    String maxLogProb =
        g.op(
            Operator.REDUCE_MAX,
            List.of(ModelContract.LOG_PROBS),
            ints("axes", 2),
            attr("keepdims", 0));
    g.node(Operator.EXP, List.of(maxLogProb), List.of(ModelContract.CONFIDENCE));
    Vocabulary tags = vocab.tags();
    g.node(
        Operator.LABEL_ENCODER,
        List.of(ModelContract.TAG_IDS),
        List.of(ModelContract.TAGS),
        ints("keys_int64s", range(tags.size())),
        strings("values_strings", tags.symbols()),
        attr("default_string", ""));

    g.output(g.value(ModelContract.TAGS, DataType.STRING, "batch", "time"));
    g.output(g.value(ModelContract.TAG_IDS, DataType.INT64, "batch", "time"));
    g.output(g.value(ModelContract.CONFIDENCE, DataType.FLOAT, "batch", "time"));
    g.output(g.value(ModelContract.LOG_PROBS, DataType.FLOAT, "batch", "time", k));

    ModelProto.Builder m =
        ModelProto.newBuilder()
            .setIrVersion(8)
            .setProducerName("streamtagger")
            .setProducerVersion(metadata.getOrDefault(ModelContract.TRAINER_VERSION, "dev"))
            .setDomain("org.streamtagger")
            .setModelVersion(1)
            .setDocString(
                "Part-of-speech tagger (word + character LSTM). Inputs: words, chars (code points,"
                    + " head+tail truncated to max_word_chars), lengths. See metadata_props.")
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .addOpsetImport(
                OperatorSetIdProto.newBuilder()
                    .setDomain(ModelContract.ML_DOMAIN)
                    .setVersion(ML_OPSET))
            .setGraph(g.build());
    metadata.forEach(
        (key, value) ->
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
    return m.build();
  }

  /**
   * Each member's character BiLSTM final states for every word, {@code [B, T, dirs * charHidden]},
   * or null for a member without a character encoder. The members share one vocabulary, so the
   * words' character ids are worked out once and all members' states are scattered back to word
   * positions in one go: the graph holds each small node once instead of once per member (ONNX
   * Runtime merges most such repeats itself when it loads a graph, but not all).
   */
  private static List<String> charFeatures(
      OnnxGraph g, List<TaggerModel> members, Vocabularies vocab) {
    List<String> features = new ArrayList<>(Collections.nCopies(members.size(), null));
    if (members.stream().noneMatch(m -> m.config().model().hasCharEncoder())) {
      return features;
    }
    CharBatch batch = charBatch(g, vocab.chars());
    List<String> rows = new ArrayList<>();
    int[] widths = new int[members.size()]; // 0: no character encoder
    for (int i = 0; i < members.size(); i++) {
      ModelConfig config = members.get(i).config();
      if (config.model().hasCharEncoder()) {
        g.scope(members.size() == 1 ? "" : memberScope(i));
        widths[i] = (config.model().charBidirectional() ? 2 : 1) * config.model().charHidden();
        rows.add(charStates(g, members.get(i), batch, widths[i]));
      }
    }
    g.scope("");
    int total = Arrays.stream(widths).sum();
    String all = rows.size() == 1 ? rows.get(0) : g.op(Operator.CONCAT, rows, attr("axis", 1));
    String perWord = scatterToWords(g, batch, all, total); // [B, T, total]
    int from = 0;
    for (int i = 0; i < members.size(); i++) {
      if (widths[i] == 0) {
        continue;
      }
      features.set(
          i,
          widths[i] == total
              ? perWord
              : g.op(
                  Operator.SLICE,
                  List.of(
                      perWord,
                      g.int64s(g.fresh("char_from"), new long[] {from}, 1),
                      g.int64s(g.fresh("char_to"), new long[] {from + widths[i]}, 1),
                      g.int64s(g.fresh("char_axis"), new long[] {2}, 1))));
      from += widths[i];
    }
    return features;
  }

  /**
   * The real words' character ids, in two buckets by length: {@code ids} ({@code [n + 1, C]} each,
   * the last row a dummy word), their int32 lengths, and {@code rowIndices} ({@code [N + 2, 1]}),
   * each bucket row's position in the flattened {@code [B * T]} words, buckets in order.
   */
  private record CharBatch(
      List<String> ids,
      List<String> lengths,
      String rowIndices,
      String flatCount,
      String wordsShape) {}

  private static CharBatch charBatch(OnnxGraph g, Vocabulary chars) {
    // Code point -> char id; code point 0 (padding) -> the padding id.
    List<Long> keys = new ArrayList<>();
    List<Long> values = new ArrayList<>();
    keys.add(0L);
    values.add(0L);
    for (int i = 0; i < chars.size(); i++) {
      String s = chars.symbol(i);
      if (!s.equals(Vocabulary.PAD) && !s.equals(Vocabulary.UNK)) {
        keys.add(Long.parseLong(s));
        values.add((long) i);
      }
    }
    // Only real words go through the character LSTM: padding positions are left out (Compress)
    // and get zero features back (ScatterND), so a batch costs what its words cost.
    String charsShape = g.op(Operator.SHAPE, List.of(ModelContract.CHARS));
    String maxChars =
        g.op(Operator.GATHER, List.of(charsShape, g.int64s("index_2", new long[] {2}, 1)));
    String flatShape =
        g.op(
            Operator.CONCAT,
            List.of(g.int64s("minus_one", new long[] {-1}, 1), maxChars),
            attr("axis", 0));
    String flatCodePoints =
        g.op(Operator.RESHAPE, List.of(ModelContract.CHARS, flatShape)); // [B*T, C]
    String wordsShape = g.op(Operator.SHAPE, List.of(ModelContract.WORDS)); // [B, T]
    String time =
        g.op(Operator.GATHER, List.of(wordsShape, g.int64s("index_1", new long[] {1}, 1)));
    String positions =
        g.op(
            Operator.RANGE,
            List.of(
                g.int64s("zero_scalar", new long[] {0}),
                g.op(Operator.SQUEEZE, List.of(time, g.int64s("axis_0", new long[] {0}, 1))),
                g.int64s("one_scalar", new long[] {1}))); // [T]
    String realWord =
        g.op(
            Operator.LESS,
            List.of(
                g.op(
                    Operator.UNSQUEEZE, List.of(positions, g.int64s("axis_0b", new long[] {0}, 1))),
                g.op(
                    Operator.UNSQUEEZE,
                    List.of(
                        ModelContract.LENGTHS, g.int64s("axis_1", new long[] {1}, 1))))); // [B, T]
    String flatReal =
        g.op(Operator.RESHAPE, List.of(realWord, g.int64s("flat", new long[] {-1}, 1))); // [B*T]
    String realCodePoints =
        g.op(Operator.COMPRESS, List.of(flatCodePoints, flatReal), attr("axis", 0)); // [N, C]
    String realIndices =
        g.op(
            Operator.TRANSPOSE,
            List.of(g.op(Operator.NON_ZERO, List.of(flatReal))),
            ints("perm", 1, 0)); // [N, 1]
    // Real characters per word (at least 1: an empty token reads one padding character).
    String isChar =
        g.op(Operator.GREATER, List.of(realCodePoints, g.int64s("zero", new long[] {0})));
    String counts =
        g.op(
            Operator.REDUCE_SUM,
            List.of(
                g.op(Operator.CAST, List.of(isChar), attr("to", DataType.INT64.getNumber())),
                g.int64s("axis_1b", new long[] {1}, 1)),
            attr("keepdims", 0));
    String lens = g.op(Operator.MAX, List.of(counts, g.int64s("one", new long[] {1}))); // [N]

    // The LSTM runs as long as the longest word of its batch, so short words (most of them) go
    // in a batch of their own, cut to SHORT_WORD chars, and the rest in another.
    String shortLimit = g.int64s("short_word", new long[] {SHORT_WORD});
    String isShort = g.op(Operator.LESS_OR_EQUAL, List.of(lens, shortLimit));
    List<String[]> buckets =
        List.of(
            new String[] {isShort, "short"},
            new String[] {g.op(Operator.NOT, List.of(isShort)), "long"});
    // ONNX Runtime's LSTM must not see an empty batch (it crashes), so each bucket also carries
    // one dummy word, written to an extra row that is cut off after the scatter.
    String flatCount = g.op(Operator.SHAPE, List.of(flatReal)); // [B*T]
    String dummyCodes =
        g.op(
            Operator.CONSTANT_OF_SHAPE,
            List.of(
                g.op(
                    Operator.CONCAT,
                    List.of(g.int64s("one_row", new long[] {1}, 1), maxChars),
                    attr("axis", 0))),
            zero(DataType.INT64)); // [1, C]
    String dummyIndex =
        g.op(Operator.RESHAPE, List.of(flatCount, g.int64s("one_by_one", new long[] {1, 1}, 2)));
    String dummyLen = g.int64s("dummy_len", new long[] {1}, 1);
    List<String> ids = new ArrayList<>();
    List<String> lengths = new ArrayList<>();
    List<String> bucketIndices = new ArrayList<>();
    for (String[] bucket : buckets) {
      String mask = bucket[0];
      String codes =
          g.op(
              Operator.CONCAT,
              List.of(
                  g.op(Operator.COMPRESS, List.of(realCodePoints, mask), attr("axis", 0)),
                  dummyCodes),
              attr("axis", 0));
      if (bucket[1].equals("short")) {
        codes =
            g.op(
                Operator.SLICE,
                List.of(
                    codes,
                    g.int64s("slice_start", new long[] {0}, 1),
                    g.int64s("slice_end", new long[] {SHORT_WORD}, 1),
                    g.int64s("slice_axis", new long[] {1}, 1)));
      }
      ids.add(
          g.op(
              Operator.LABEL_ENCODER,
              List.of(codes),
              ints("keys_int64s", keys.stream().mapToLong(Long::longValue).toArray()),
              ints("values_int64s", values.stream().mapToLong(Long::longValue).toArray()),
              attr("default_int64", chars.unkId())));
      lengths.add(
          g.op(
              Operator.CAST,
              List.of(
                  g.op(
                      Operator.CONCAT,
                      List.of(
                          g.op(Operator.COMPRESS, List.of(lens, mask), attr("axis", 0)), dummyLen),
                      attr("axis", 0))),
              attr("to", DataType.INT32.getNumber())));
      bucketIndices.add(
          g.op(
              Operator.CONCAT,
              List.of(
                  g.op(Operator.COMPRESS, List.of(realIndices, mask), attr("axis", 0)), dummyIndex),
              attr("axis", 0)));
    }
    String rowIndices = g.op(Operator.CONCAT, bucketIndices, attr("axis", 0)); // [N + 2, 1]
    return new CharBatch(ids, lengths, rowIndices, flatCount, wordsShape);
  }

  /** One model's character LSTM final states, {@code [N + 2, width]}, in the batch's row order. */
  private static String charStates(OnnxGraph g, TaggerModel model, CharBatch batch, int width) {
    ModelConfig config = model.config();
    Map<String, Tensor> p = model.parameters();
    List<String> weights =
        lstmWeights(
            g,
            p,
            "char_encoder.lstm",
            config.model().charBidirectional(),
            config.model().charHidden());
    Tensor table = p.get("char_encoder.embedding.weight");
    String embedding = g.floats("char_embedding", table.data, table.dim(0), table.dim(1));
    List<String> rows = new ArrayList<>();
    for (int b = 0; b < batch.ids().size(); b++) {
      String vectors = g.op(Operator.GATHER, List.of(embedding, batch.ids().get(b)));
      String timeMajor =
          g.op(Operator.TRANSPOSE, List.of(vectors), ints("perm", 1, 0, 2)); // [C, n, E]
      String yh = g.fresh("char_y_h");
      lstmNode(
          g,
          weights,
          config.model().charBidirectional(),
          config.model().charHidden(),
          timeMajor,
          batch.lengths().get(b),
          "",
          yh); // Y_h: [dirs, n, Hc]
      rows.add(
          g.op(
              Operator.RESHAPE,
              List.of(
                  g.op(Operator.TRANSPOSE, List.of(yh), ints("perm", 1, 0, 2)),
                  g.int64s(g.fresh("char_rows"), new long[] {-1, width}, 2)))); // [n, dirs*Hc]
    }
    return g.op(Operator.CONCAT, rows, attr("axis", 0)); // [N + 2, width]
  }

  /** Rows in the batch's order back at their word positions: {@code [B, T, width]}, 0 padding. */
  private static String scatterToWords(OnnxGraph g, CharBatch batch, String rows, int width) {
    String rowsPlusOne =
        g.op(Operator.ADD, List.of(batch.flatCount(), g.int64s("plus_one", new long[] {1}, 1)));
    String zeros =
        g.op(
            Operator.CONSTANT_OF_SHAPE,
            List.of(
                g.op(
                    Operator.CONCAT,
                    List.of(rowsPlusOne, g.int64s("char_width", new long[] {width}, 1)),
                    attr("axis", 0))),
            zero(DataType.FLOAT)); // [B*T + 1, width]
    String scattered =
        g.op(
            Operator.SLICE,
            List.of(
                g.op(Operator.SCATTER_ND, List.of(zeros, batch.rowIndices(), rows)),
                g.int64s("rows_from", new long[] {0}, 1),
                batch.flatCount(),
                g.int64s("rows_axis", new long[] {0}, 1))); // [B*T, width]
    String target =
        g.op(
            Operator.CONCAT,
            List.of(batch.wordsShape(), g.int64s("char_out", new long[] {width}, 1)),
            attr("axis", 0));
    return g.op(Operator.RESHAPE, List.of(scattered, target));
  }

  private static String memberScope(int index) {
    return "m" + (index + 1) + "_";
  }

  /**
   * An ONNX LSTM from the layer's parameters: outputs {@code y} ([T, dirs, B, H]) and/or {@code yH}
   * ([dirs, B, H]); an empty name leaves that output out.
   */
  private static void lstm(
      OnnxGraph g,
      Map<String, Tensor> p,
      String prefix,
      boolean bidirectional,
      int hidden,
      String x,
      String seqLens,
      String y,
      String yH) {
    List<String> weights = lstmWeights(g, p, prefix, bidirectional, hidden);
    lstmNode(g, weights, bidirectional, hidden, x, seqLens, y, yH);
  }

  /** The W, R and B initializers of a layer, in ONNX's gate order. */
  private static List<String> lstmWeights(
      OnnxGraph g, Map<String, Tensor> p, String prefix, boolean bidirectional, int hidden) {
    List<String> dirs = bidirectional ? List.of(".forward", ".backward") : List.of("");
    int in = p.get(prefix + dirs.get(0) + ".weight_ih").dim(1);
    int n = dirs.size();
    float[] w = new float[n * 4 * hidden * in];
    float[] r = new float[n * 4 * hidden * hidden];
    float[] bias = new float[n * 8 * hidden];
    for (int d = 0; d < n; d++) {
      String base = prefix + dirs.get(d);
      reorderGates(p.get(base + ".weight_ih").data, w, d * 4 * hidden * in, hidden, in);
      reorderGates(p.get(base + ".weight_hh").data, r, d * 4 * hidden * hidden, hidden, hidden);
      reorderGates(p.get(base + ".bias_ih").data, bias, d * 8 * hidden, hidden, 1);
      reorderGates(p.get(base + ".bias_hh").data, bias, d * 8 * hidden + 4 * hidden, hidden, 1);
    }
    String name = prefix.replace('.', '_');
    return List.of(
        g.floats(name + "_W", w, n, 4L * hidden, in),
        g.floats(name + "_R", r, n, 4L * hidden, hidden),
        g.floats(name + "_B", bias, n, 8L * hidden));
  }

  private static void lstmNode(
      OnnxGraph g,
      List<String> weights,
      boolean bidirectional,
      int hidden,
      String x,
      String seqLens,
      String y,
      String yH) {
    List<String> inputs = new ArrayList<>();
    inputs.add(x);
    inputs.addAll(weights);
    inputs.add(seqLens);
    AttributeProto direction = attr("direction", bidirectional ? "bidirectional" : "forward");
    g.node(Operator.LSTM, inputs, List.of(y, yH), attr("hidden_size", hidden), direction);
  }

  /** The {@code value} attribute of a zero of the given type, for ConstantOfShape. */
  private static AttributeProto zero(DataType type) {
    var t = ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setDataType(type.getNumber()).addDims(1);
    if (type == DataType.FLOAT) {
      t.addFloatData(0f);
    } else {
      t.addInt64Data(0L);
    }
    return AttributeProto.newBuilder()
        .setName("value")
        .setType(AttributeProto.AttributeType.TENSOR)
        .setT(t)
        .build();
  }

  /**
   * Copies {@code [4H, cols]} gate blocks from PyTorch's order (i, f, g, o) to ONNX's (i, o, f, c).
   */
  private static void reorderGates(float[] src, float[] dst, int off, int hidden, int cols) {
    int[] onnxFromOurs = {0, 3, 1, 2};
    int block = hidden * cols;
    for (int gate = 0; gate < 4; gate++) {
      System.arraycopy(src, onnxFromOurs[gate] * block, dst, off + gate * block, block);
    }
  }

  private static long[] range(int n) {
    long[] r = new long[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
