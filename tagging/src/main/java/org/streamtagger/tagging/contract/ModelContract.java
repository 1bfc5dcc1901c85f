package org.streamtagger.tagging.contract;

import java.util.List;

/**
 * What an exported tagger is, for the exporter that writes it and the runtime that reads it (and
 * any ONNX runtime in any language): its inputs, outputs and metadata keys, and the operators its
 * graph is made of. Defined here once; {@code OnnxExporter} (trainer) and {@code OnnxTagger} (this
 * module) both use these names.
 *
 * <p>Inputs: {@link #WORDS} string {@code [batch, time]} (padding: empty strings), {@link #CHARS}
 * int64 {@code [batch, time, max_chars]} (each word's code points, 0 pads, words longer than {@link
 * #MAX_WORD_CHARS} cut to their head and tail), {@link #LENGTHS} int64 {@code [batch]}. Outputs:
 * {@link #TAGS} string and {@link #TAG_IDS} int64 {@code [batch, time]}, {@link #CONFIDENCE} float
 * {@code [batch, time]} (the chosen tag's probability), {@link #LOG_PROBS} float {@code [batch,
 * time, tags]}. Positions past a sentence's length are padding.
 */
public final class ModelContract {
  private ModelContract() {}

  /** Input: the words of each sentence. */
  public static final String WORDS = "words";

  /** Input: the code points of each word. */
  public static final String CHARS = "chars";

  /** Input: the number of real words in each sentence. */
  public static final String LENGTHS = "lengths";

  /** Output: the tag names. */
  public static final String TAGS = "tags";

  /** Output: the tag ids, in the order of the {@link #TAG_LIST} metadata. */
  public static final String TAG_IDS = "tag_ids";

  /** Output: the probability of each chosen tag. */
  public static final String CONFIDENCE = "confidence";

  /** Output: the log-probability of every tag at every word. */
  public static final String LOG_PROBS = "log_probs";

  /** Metadata: the model's name. */
  public static final String MODEL_NAME = "model_name";

  /** Metadata: the model's version. */
  public static final String MODEL_VERSION = "model_version";

  /** Metadata: {@code UPOS} or {@code XPOS}. */
  public static final String TAG_COLUMN = "tag_column";

  /** Metadata: the tag set, space-separated, in id order. */
  public static final String TAG_LIST = "tags";

  /** Metadata: the longest character sequence read per word. */
  public static final String MAX_WORD_CHARS = "max_word_chars";

  /** Metadata: how a longer word is cut ({@code head_tail}: its first and last code points). */
  public static final String CHAR_TRUNCATION = "char_truncation";

  /** Metadata: the preset the model was trained from. */
  public static final String PRESET = "preset";

  /** Metadata: the hyper-parameters, as JSON. */
  public static final String HYPER_PARAMETERS = "hyper_parameters";

  /** Metadata: how many networks' probabilities the model averages. */
  public static final String ENSEMBLE_MEMBERS = "ensemble_members";

  /** Metadata: the size of the word vocabulary. */
  public static final String VOCABULARY_WORDS = "words";

  /** Metadata: the training words below the vocabulary's count threshold, one per line. */
  public static final String RARE_TRAINING_WORDS = "rare_training_words";

  /** Metadata: the training data's name. */
  public static final String TRAINING_DATA = "training_data";

  /** Metadata: the number of training sentences. */
  public static final String TRAINING_SENTENCES = "training_sentences";

  /** Metadata: dev accuracy at export time. */
  public static final String DEV_ACCURACY = "dev_accuracy";

  /** Metadata: test accuracy at export time ({@code unknown} if not measured). */
  public static final String TEST_ACCURACY = "test_accuracy";

  /** Metadata: the epoch of the best-dev checkpoint. */
  public static final String EPOCH = "epoch";

  /** Metadata: the trainer's version. */
  public static final String TRAINER_VERSION = "trainer_version";

  /** Metadata: when the model was exported (ISO-8601). */
  public static final String CREATED = "created";

  /** The metadata a runtime needs: a model without any of these is refused. */
  public static final List<String> REQUIRED_METADATA =
      List.of(MODEL_NAME, MODEL_VERSION, TAG_COLUMN, TAG_LIST, MAX_WORD_CHARS);

  /** The operator domain of ONNX's ML operators. */
  public static final String ML_DOMAIN = "ai.onnx.ml";

  /** The operators an exported tagger's graph is made of, with their ONNX domains. */
  public enum Operator {
    ADD("Add"),
    ARG_MAX("ArgMax"),
    CAST("Cast"),
    COMPRESS("Compress"),
    CONCAT("Concat"),
    CONSTANT_OF_SHAPE("ConstantOfShape"),
    EXP("Exp"),
    GATHER("Gather"),
    GREATER("Greater"),
    LABEL_ENCODER("LabelEncoder", ML_DOMAIN),
    LESS("Less"),
    LESS_OR_EQUAL("LessOrEqual"),
    LOG("Log"),
    LOG_SOFTMAX("LogSoftmax"),
    LSTM("LSTM"),
    MAT_MUL("MatMul"),
    MAX("Max"),
    MEAN("Mean"),
    NON_ZERO("NonZero"),
    NOT("Not"),
    RANGE("Range"),
    REDUCE_MAX("ReduceMax"),
    REDUCE_SUM("ReduceSum"),
    RESHAPE("Reshape"),
    SCATTER_ND("ScatterND"),
    SHAPE("Shape"),
    SLICE("Slice"),
    SQUEEZE("Squeeze"),
    TRANSPOSE("Transpose"),
    UNSQUEEZE("Unsqueeze");

    private final String opType;
    private final String domain;

    Operator(String opType) {
      this(opType, "");
    }

    Operator(String opType, String domain) {
      this.opType = opType;
      this.domain = domain;
    }

    /** The operator's name in a graph ({@code NodeProto.op_type}). */
    public String opType() {
      return opType;
    }

    /** Its domain: empty for ONNX's default domain. */
    public String domain() {
      return domain;
    }
  }
}
