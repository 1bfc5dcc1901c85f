package org.streamtagger.tagging.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamtagger.tagging.contract.ModelContract;

/**
 * A {@link SentenceTagger} over ONNX Runtime. One process-wide {@link OrtEnvironment}; one session,
 * which ONNX Runtime allows to run from many threads at once; every tensor and result closed. The
 * model is checked when loaded: its inputs, outputs and metadata must be those of the exported
 * tagger, or loading fails with a message that says what is missing.
 */
public final class OnnxTagger implements SentenceTagger, AutoCloseable {
  /** The model shipped inside the processor jar. */
  public static final String BUNDLED_MODEL = "/models/ewt-upos.onnx";

  private static final Logger LOG = LoggerFactory.getLogger(OnnxTagger.class);

  /** The inputs of the contract, checked in this order. */
  private static final List<Map.Entry<String, OnnxJavaType>> INPUTS =
      List.of(
          Map.entry(ModelContract.WORDS, OnnxJavaType.STRING),
          Map.entry(ModelContract.CHARS, OnnxJavaType.INT64),
          Map.entry(ModelContract.LENGTHS, OnnxJavaType.INT64));

  private static final List<String> OUTPUTS =
      List.of(ModelContract.TAGS, ModelContract.CONFIDENCE, ModelContract.LOG_PROBS);

  private final OrtSession session;
  private final ModelInfo info;
  private final ExecutionProvider provider;
  private final String sha256;

  private OnnxTagger(byte[] model, String source, InferenceOptions options) throws ModelException {
    sha256 = sha256Of(model);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(options.optimization());
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      provider = addProvider(so, options);
      session = env.createSession(model, so);
    } catch (OrtException e) {
      throw new ModelException(source + ": not a usable ONNX model: " + e.getMessage(), e);
    }
    try {
      info = check(source);
    } catch (ModelException e) {
      closeQuietly();
      throw e;
    }
  }

  /**
   * Loads a model file.
   *
   * @throws NoSuchFileException if there is no such file
   * @throws ModelException if it is not an ONNX model or not an exported tagger
   */
  public static OnnxTagger load(Path file, InferenceOptions options) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file + ": no such model file");
    }
    return new OnnxTagger(Files.readAllBytes(file), file.toString(), options);
  }

  /**
   * Loads a model already read into memory (fetched from elsewhere, say).
   *
   * @param source where it came from, for messages
   * @throws ModelException if it is not an ONNX model or not an exported tagger
   */
  public static OnnxTagger fromBytes(byte[] model, String source, InferenceOptions options)
      throws ModelException {
    return new OnnxTagger(model, source, options);
  }

  /** Loads the model bundled with the processor. */
  public static OnnxTagger bundled(InferenceOptions options) throws IOException {
    try (InputStream in = OnnxTagger.class.getResourceAsStream(BUNDLED_MODEL)) {
      if (in == null) {
        throw new ModelException(
            "the bundled model " + BUNDLED_MODEL + " is not on the class path");
      }
      return new OnnxTagger(in.readAllBytes(), "bundled " + BUNDLED_MODEL, options);
    }
  }

  /** The SHA-256 of the model file, 64 lower-case hexadecimal digits. */
  public String sha256() {
    return sha256;
  }

  /** The SHA-256 of some bytes, as 64 lower-case hexadecimal digits. */
  public static String sha256Of(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The provider the session actually runs on (CPU after a fallback). */
  public ExecutionProvider provider() {
    return provider;
  }

  /** What the model says about itself: name, version, tag column, tag set. */
  @Override
  public ModelInfo model() {
    return info;
  }

  /**
   * Tags the batch in as few model calls as keep padding small: on the CPU, sentences of similar
   * length go together ({@link LengthGroups}); on a GPU, where padding runs in parallel, the batch
   * is one call.
   */
  @Override
  public List<Tagging> tag(List<List<String>> sentences) {
    if (sentences.isEmpty()) {
      return List.of();
    }
    int batch = sentences.size();
    String[][] tokens = new String[batch][];
    int[][][] codePoints = new int[batch][][];
    int[] lengths = new int[batch];
    for (int b = 0; b < batch; b++) {
      List<String> s = sentences.get(b);
      if (s == null || s.isEmpty()) {
        throw new IllegalArgumentException("sentence " + b + " of the batch has no tokens");
      }
      tokens[b] = new String[s.size()];
      codePoints[b] = new int[s.size()][];
      for (int t = 0; t < s.size(); t++) {
        String token = s.get(t);
        if (token == null || token.isEmpty()) {
          throw new IllegalArgumentException(
              "sentence " + b + ", token " + t + " is empty: tokens must have characters");
        }
        tokens[b][t] = TokenEncoding.sanitize(token);
        codePoints[b][t] = TokenEncoding.codePoints(tokens[b][t], info.maxWordChars());
      }
      lengths[b] = s.size();
    }
    List<int[]> calls =
        provider == ExecutionProvider.CPU
            ? LengthGroups.of(lengths)
            : List.of(IntStream.range(0, batch).toArray());
    Tagging[] out = new Tagging[batch];
    for (int[] group : calls) {
      run(group, tokens, codePoints, out);
    }
    return Arrays.asList(out);
  }

  /** One model call on the sentences {@code group} names; results go to the same places of out. */
  private void run(int[] group, String[][] tokens, int[][][] codePoints, Tagging[] out) {
    int batch = group.length;
    int time = 0;
    int maxChars = 1;
    for (int b : group) {
      time = Math.max(time, tokens[b].length);
      for (int[] cps : codePoints[b]) {
        maxChars = Math.max(maxChars, cps.length);
      }
    }
    String[] words = new String[batch * time]; // [B, T], "" pads
    long[] chars = new long[batch * time * maxChars]; // [B, T, C], 0 pads
    long[] lengths = new long[batch];
    Arrays.fill(words, "");
    for (int g = 0; g < batch; g++) {
      int b = group[g];
      lengths[g] = tokens[b].length;
      for (int t = 0; t < tokens[b].length; t++) {
        words[g * time + t] = tokens[b][t];
        int[] cps = codePoints[b][t];
        for (int c = 0; c < cps.length; c++) {
          chars[(g * time + t) * maxChars + c] = cps[c];
        }
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor w = OnnxTensor.createTensor(env, words, new long[] {batch, time});
        OnnxTensor c =
            OnnxTensor.createTensor(
                env, LongBuffer.wrap(chars), new long[] {batch, time, maxChars});
        OnnxTensor l = OnnxTensor.createTensor(env, LongBuffer.wrap(lengths), new long[] {batch});
        OrtSession.Result r =
            session.run(
                Map.of(ModelContract.WORDS, w, ModelContract.CHARS, c, ModelContract.LENGTHS, l),
                new java.util.HashSet<>(OUTPUTS))) {
      String[][] tags = (String[][]) valueOf(r, ModelContract.TAGS);
      float[][] confidence = (float[][]) valueOf(r, ModelContract.CONFIDENCE);
      float[][][] logProbs = (float[][][]) valueOf(r, ModelContract.LOG_PROBS);
      for (int g = 0; g < batch; g++) {
        int n = tokens[group[g]].length;
        out[group[g]] =
            new Tagging(
                List.of(Arrays.copyOf(tags[g], n)),
                Arrays.copyOf(confidence[g], n),
                Arrays.copyOf(logProbs[g], n));
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch + ": " + e, e);
    }
  }

  /** Frees the ONNX Runtime session; the tagger cannot be used after. */
  @Override
  public void close() {
    closeQuietly();
  }

  private static Object valueOf(OrtSession.Result r, String name) throws OrtException {
    OnnxValue v = r.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
    return v.getValue();
  }

  private void closeQuietly() {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warn("closing the ONNX Runtime session failed: {}", e.getMessage());
    }
  }

  private static ExecutionProvider addProvider(
      OrtSession.SessionOptions so, InferenceOptions options) throws ModelException {
    if (options.provider() == ExecutionProvider.CPU) {
      return ExecutionProvider.CPU;
    }
    try {
      so.addCUDA(0);
      return ExecutionProvider.CUDA;
    } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      if (options.providerRequired()) {
        throw new ModelException(
            "the CUDA execution provider is required but unavailable: " + why, e);
      }
      LOG.warn(
          "CUDA execution provider unavailable ({}); running on CPU instead. Build with -Pgpu on a"
              + " machine with an NVIDIA GPU and driver to use it.",
          why);
      return ExecutionProvider.CPU;
    }
  }

  private ModelInfo check(String source) throws ModelException {
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      for (var e : INPUTS) {
        NodeInfo in = inputs.get(e.getKey());
        if (in == null || !(in.getInfo() instanceof TensorInfo ti) || ti.type != e.getValue()) {
          throw new ModelException(
              source
                  + ": expected a "
                  + e.getValue()
                  + " input '"
                  + e.getKey()
                  + "', found inputs "
                  + describe(inputs));
        }
      }
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      for (String o : OUTPUTS) {
        if (!outputs.containsKey(o)) {
          throw new ModelException(
              source + ": expected an output '" + o + "', found outputs " + outputs.keySet());
        }
      }
      Map<String, String> meta = new LinkedHashMap<>(session.getMetadata().getCustomMetadata());
      for (String key : ModelContract.REQUIRED_METADATA) {
        if (!meta.containsKey(key)) {
          throw new ModelException(source + ": metadata '" + key + "' missing");
        }
      }
      List<String> tags = parseList(meta.get(ModelContract.TAG_LIST), source);
      int maxChars;
      try {
        maxChars = Integer.parseInt(meta.get(ModelContract.MAX_WORD_CHARS));
      } catch (NumberFormatException e) {
        throw new ModelException(source + ": metadata max_word_chars is not a number", e);
      }
      return new ModelInfo(
          meta.get(ModelContract.MODEL_NAME),
          meta.get(ModelContract.MODEL_VERSION),
          meta.get(ModelContract.TAG_COLUMN),
          tags,
          maxChars,
          Map.copyOf(meta));
    } catch (OrtException e) {
      throw new ModelException(source + ": cannot read the model's signature: " + e, e);
    }
  }

  /** The tags metadata: a space-separated list. */
  private static List<String> parseList(String value, String source) throws ModelException {
    List<String> tags = List.of(value.trim().split(" +"));
    if (tags.isEmpty() || tags.get(0).isEmpty()) {
      throw new ModelException(source + ": metadata 'tags' is empty");
    }
    return tags;
  }

  private static String describe(Map<String, NodeInfo> nodes) {
    List<String> parts = new ArrayList<>();
    nodes.forEach((name, n) -> parts.add(name + ":" + n.getInfo()));
    return parts.toString();
  }

  /** A model that cannot be used, with the reason. */
  public static final class ModelException extends IOException {
    public ModelException(String message) {
      super(message);
    }

    public ModelException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
