package org.streamtagger.processor.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamtagger.avro.ErrorKind;
import org.streamtagger.avro.Sentence;
import org.streamtagger.avro.TaggedSentence;
import org.streamtagger.avro.TaggedToken;
import org.streamtagger.avro.TaggingError;
import org.streamtagger.processor.rollout.ServingModel;
import org.streamtagger.processor.serde.DecodeException;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.tagging.inference.SentenceTagger;
import org.streamtagger.tagging.inference.TaggedText;
import org.streamtagger.tagging.inference.Tagging;
import org.streamtagger.tagging.inference.TextTagger;
import org.streamtagger.tagging.inference.TokenEncoding;
import org.streamtagger.tagging.inference.TokenizedText;
import org.streamtagger.tagging.tokenize.EnglishTokenizer;

/**
 * What happens to each input record, whenever it happens: it is decoded, checked against the limits
 * and tokenized ({@link #prepare}), then tagged in one model call with the rest of its batch and
 * encoded ({@link #tag}). Every record ends as exactly one {@link Output}: its tagged sentence or
 * its dead letter.
 *
 * <p>A record's failure stays that record's. Whatever is thrown while one record is decoded,
 * tokenized, tagged or encoded, a stack overflow included, becomes that record's dead letter with
 * the kind and the reason; a batch whose model call fails is tagged again one sentence at a time,
 * so that only the sentence that fails is dead-lettered. Only errors that say the process itself is
 * broken ({@link #isFatal}: out of memory, a class that cannot load) pass through, to stop the
 * stream thread. The work per record is bounded by its size: decoding allocates no more than the
 * record's bytes allow ({@link SentenceCodec}), the tokenizer is linear, and no sentence with more
 * than the limit of words reaches the model.
 */
final class RecordTagger {
  private static final Logger LOG = LoggerFactory.getLogger(RecordTagger.class);

  /** Dead letters quote at most this much of a sentence id; the origin leads to the rest. */
  private static final int MAX_ID_CHARS = 1_000;

  private static final int MAX_REASON_CHARS = 1_000;

  private final ServingModel models;
  private final EnglishTokenizer tokenizer = new EnglishTokenizer();
  private final SentenceCodec codec;
  private final RecordLimits limits;

  /** With one model for ever. */
  RecordTagger(SentenceTagger tagger, SentenceCodec codec, RecordLimits limits) {
    this(new ServingModel(tagger, null, null), codec, limits);
  }

  RecordTagger(ServingModel models, SentenceCodec codec, RecordLimits limits) {
    this.models = models;
    this.codec = codec;
    this.limits = limits;
  }

  /** Applies the model announcements on the control topic now (before a task tags anything). */
  void catchUp() {
    models.catchUp();
  }

  /** What {@link #prepare} makes of a record: ready for the model, or already its dead letter. */
  sealed interface Prepared permits Ready, Output {}

  /**
   * A record decoded and tokenized, waiting for its model call.
   *
   * @param text the tokenized text; null when the sentence came as tokens
   */
  record Ready(BufferedRecord record, Sentence sentence, TokenizedText text) implements Prepared {
    /** The words the model tags. */
    List<String> words() {
      return text == null ? sentence.getTokens() : text.words();
    }
  }

  /**
   * A record to write.
   *
   * @param deadLetter whether it goes to the dead-letter topic rather than the output topic
   * @param headers the input record's headers (a dead letter's with Kafka Streams' dead-letter
   *     headers added)
   * @param tokens words tagged (0 for a dead letter)
   */
  record Output(
      boolean deadLetter, byte[] key, byte[] value, Headers headers, long timestamp, int tokens)
      implements Prepared {}

  /** The outputs of one batch, in the batch's order, and when its model calls ran. */
  record Batch(List<Output> outputs, long startNanos, long endNanos) {}

  /** Whether an error says the process cannot go on, rather than that one record is bad. */
  static boolean isFatal(Throwable t) {
    return (t instanceof VirtualMachineError && !(t instanceof StackOverflowError))
        || t instanceof LinkageError;
  }

  /**
   * Decodes, checks and tokenizes; a record that cannot be tagged comes back as its dead letter.
   */
  Prepared prepare(BufferedRecord r) {
    try {
      long size = length(r.key()) + length(r.value()) + r.headerBytes();
      if (size > limits.maxRecordBytes()) {
        return deadLetter(
            r,
            ErrorKind.TOO_LARGE,
            "record of "
                + size
                + " bytes (key "
                + length(r.key())
                + ", value "
                + length(r.value())
                + ", headers "
                + r.headerBytes()
                + ") exceeds the limit of "
                + limits.maxRecordBytes(),
            null);
      }
      Sentence s;
      try {
        s = codec.decode(r.value(), r.topic() + "-" + r.partition() + "-" + r.offset());
      } catch (DecodeException e) {
        return deadLetter(r, e.kind(), e.getMessage(), e.sentenceId());
      }
      return check(r, s);
    } catch (Throwable t) {
      if (isFatal(t)) {
        throw t;
      }
      return deadLetter(r, ErrorKind.TAGGING_FAILED, "could not read the record: " + t, null, t);
    }
  }

  /** Tokens as given, or the text tokenized; each within the limits. */
  private Prepared check(BufferedRecord r, Sentence s) {
    String id = s.getId();
    List<String> tokens = s.getTokens();
    if (tokens != null && !tokens.isEmpty()) {
      if (tokens.size() > limits.maxWords()) {
        return deadLetter(
            r,
            ErrorKind.TOO_LARGE,
            "sentence has " + tokens.size() + " tokens, limit " + limits.maxWords(),
            id);
      }
      for (int i = 0; i < tokens.size(); i++) {
        if (tokens.get(i) == null || tokens.get(i).isEmpty()) {
          return deadLetter(r, ErrorKind.INVALID_SENTENCE, "token " + i + " is empty", id);
        }
      }
      return new Ready(r, s, null);
    }
    if (s.getText() == null || s.getText().isEmpty()) {
      return deadLetter(r, ErrorKind.INVALID_SENTENCE, "sentence has neither text nor tokens", id);
    }
    TokenizedText text = new TokenizedText(s.getText(), tokenizer.tokenize(s.getText()));
    if (text.tokens().isEmpty()) {
      return deadLetter(
          r, ErrorKind.INVALID_SENTENCE, "text has no tokens: it is only white space", id);
    }
    int words = text.wordCount();
    if (words > limits.maxWords()) {
      return deadLetter(
          r,
          ErrorKind.TOO_LARGE,
          "text has " + words + " words to tag, limit " + limits.maxWords(),
          id);
    }
    return new Ready(r, s, text);
  }

  /**
   * Tags the batch with one model call (or, if that fails, one call per sentence), every sentence
   * by the same model, whatever swap happens meanwhile.
   */
  Batch tag(List<Ready> batch) {
    try (ServingModel.Lease lease = models.acquire()) {
      return tag(batch, lease.tagger());
    }
  }

  private Batch tag(List<Ready> batch, SentenceTagger tagger) {
    long start = System.nanoTime();
    List<Object> results = new ArrayList<>(batch.size());
    try {
      results.addAll(tagTogether(batch, tagger));
    } catch (Throwable e) {
      if (isFatal(e)) {
        throw e;
      }
      LOG.warn("batch of {} failed ({}); tagging one by one", batch.size(), e.toString());
      results.clear();
      for (Ready one : batch) {
        try {
          results.add(tagTogether(List.of(one), tagger).get(0));
        } catch (Throwable failed) {
          if (isFatal(failed)) {
            throw failed;
          }
          results.add(failed);
        }
      }
    }
    long end = System.nanoTime();
    long micros = (end - start) / 1000;
    long now = System.currentTimeMillis();
    List<Output> outputs = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Ready ready = batch.get(i);
      Object result = results.get(i);
      if (result instanceof Throwable failed) {
        outputs.add(
            deadLetter(
                ready.record(),
                ErrorKind.TAGGING_FAILED,
                failed.toString(),
                ready.sentence().getId(),
                failed));
      } else {
        outputs.add(output(ready, castTokens(result), tagger, micros, batch.size(), now));
      }
    }
    return new Batch(outputs, start, end);
  }

  @SuppressWarnings("unchecked")
  private static List<TaggedToken> castTokens(Object o) {
    return (List<TaggedToken>) o;
  }

  /** The tagged sentence for the output topic, or a dead letter if it cannot be written. */
  private Output output(
      Ready ready,
      List<TaggedToken> tokens,
      SentenceTagger tagger,
      long micros,
      int batchSize,
      long now) {
    BufferedRecord r = ready.record();
    Sentence s = ready.sentence();
    try {
      TaggedSentence out =
          TaggedSentence.newBuilder()
              .setId(s.getId())
              .setTokens(tokens)
              .setModel(tagger.model().name() + ":" + tagger.model().version())
              .setTagColumn(tagger.model().tagColumn())
              .setReceivedMs(r.timestamp())
              .setTaggedMs(now)
              .setInferenceUs(micros)
              .setBatchSize(batchSize)
              .setLanguage(s.getLanguage())
              .setMetadata(s.getMetadata() == null ? new HashMap<>() : s.getMetadata())
              .build();
      byte[] value = codec.encode(out);
      long size = length(r.key()) + value.length + r.headerBytes();
      if (size > limits.maxOutputBytes()) {
        return deadLetter(
            r,
            ErrorKind.TOO_LARGE,
            "the tagged sentence takes "
                + size
                + " bytes with its key and headers, more than the output topic's records may ("
                + limits.maxOutputBytes()
                + ")",
            s.getId());
      }
      return new Output(false, r.key(), value, r.headers(), r.timestamp(), tokens.size());
    } catch (Throwable t) {
      if (isFatal(t)) {
        throw t;
      }
      return deadLetter(
          r, ErrorKind.TAGGING_FAILED, "could not encode the tagged sentence: " + t, s.getId(), t);
    }
  }

  /** Tags sentences given as text and sentences given as tokens, one model call each. */
  private static List<List<TaggedToken>> tagTogether(List<Ready> batch, SentenceTagger tagger) {
    List<TokenizedText> texts = new ArrayList<>();
    List<List<String>> tokenized = new ArrayList<>();
    for (Ready r : batch) {
      if (r.text() == null) {
        tokenized.add(r.sentence().getTokens());
      } else {
        texts.add(r.text());
      }
    }
    List<TaggedText> fromText =
        texts.isEmpty() ? List.of() : TextTagger.tagTokenized(tagger, texts);
    List<Tagging> fromTokens = tokenized.isEmpty() ? List.of() : tagger.tag(tokenized);
    List<List<TaggedToken>> out = new ArrayList<>(batch.size());
    int t = 0;
    int k = 0;
    for (Ready r : batch) {
      List<TaggedToken> tokens = new ArrayList<>();
      if (r.text() == null) {
        List<String> given = r.sentence().getTokens();
        Tagging tagging = fromTokens.get(k++);
        for (int i = 0; i < given.size(); i++) {
          tokens.add(
              new TaggedToken(
                  given.get(i), tagging.tags().get(i), tagging.confidence()[i], null, null, null));
        }
      } else {
        for (TaggedText.Word w : fromText.get(t++).words()) {
          tokens.add(
              new TaggedToken(w.word(), w.tag(), w.confidence(), w.start(), w.end(), w.token()));
        }
      }
      out.add(tokens);
    }
    return out;
  }

  /**
   * A dead letter for a reason found, not thrown: see {@link #deadLetter(BufferedRecord, ErrorKind,
   * String, String, Throwable)}.
   */
  Output deadLetter(BufferedRecord r, ErrorKind kind, String reason, String sentenceId) {
    return deadLetter(r, kind, reason, sentenceId, null);
  }

  /**
   * The record's dead letter: its kind, reason and origin, the sentence id if one was read, and as
   * much of the original key and value as fits the dead-letter topic (all of it, unless the record
   * was near the size limit). The dead letter's own key is the original key (so that it lands in
   * the same partition as the key's other dead letters), unless the key takes more than half of
   * what a dead letter may. Its headers are the original record's, then those of Kafka Streams' own
   * dead-letter queue (KIP-1034: exception, message, stack trace, source topic, partition and
   * offset), so that Kafka's tooling reads it as one of its own; the original headers are left out
   * if the dead letter would not fit with them.
   *
   * @param cause what was thrown, if the reason is an exception (its class and stack trace go to
   *     the headers); else null
   */
  Output deadLetter(
      BufferedRecord r, ErrorKind kind, String reason, String sentenceId, Throwable cause) {
    // Exception messages may quote the input: no unpaired surrogate may reach the encoder.
    String why =
        TokenEncoding.sanitize(cut(reason == null ? kind.name() : reason, MAX_REASON_CHARS));
    LOG.debug("dead letter {}-{}@{}: {} {}", r.topic(), r.partition(), r.offset(), kind, why);
    TaggingError.Builder error =
        TaggingError.newBuilder()
            .setKind(kind)
            .setReason(why)
            .setTopic(r.topic())
            .setPartition(r.partition())
            .setOffset(r.offset())
            .setTimestampMs(r.timestamp())
            .setSentenceId(sentenceId == null ? null : cut(sentenceId, MAX_ID_CHARS))
            .setKeySize(r.key() == null ? null : r.key().length)
            .setValueSize(r.value() == null ? null : r.value().length);
    int limit = limits.maxDeadLetterBytes();
    Headers dlq = DeadLetterHeaders.of(r, kind, why, cause);
    Headers headers = DeadLetterHeaders.join(r.headers(), dlq);
    boolean dropped = false;
    if (BufferedRecord.headerBytes(headers) > limit / 2) {
      headers = dlq; // the original headers alone would crowd out the dead letter
      dropped = true;
    }
    int headerBytes = BufferedRecord.headerBytes(headers);
    byte[] key = length(r.key()) <= limit / 2 ? r.key() : null;
    byte[] whole = encode(error, r.key(), r.value(), dropped);
    int copied = length(r.key()) + length(r.value());
    if (length(key) + whole.length + headerBytes <= limit || copied == 0) {
      return new Output(true, key, whole, headers, r.timestamp(), 0);
    }
    // Keep as many of the first bytes as fit, the key's before the value's: what the dead letter
    // takes without them, and what each kept byte adds (1 in Avro, 4/3 in JSON's base64).
    byte[] bare = encode(error, empty(r.key()), empty(r.value()), true);
    double perByte = (double) (whole.length - bare.length) / copied;
    long budget = (long) ((limit - length(key) - headerBytes - bare.length) / perByte) - 8;
    int keyKept = (int) Math.max(0, Math.min(length(r.key()), budget));
    int valueKept = (int) Math.max(0, Math.min(length(r.value()), budget - keyKept));
    while (true) {
      byte[] value = encode(error, prefix(r.key(), keyKept), prefix(r.value(), valueKept), true);
      if (length(key) + value.length + headerBytes <= limit || keyKept + valueKept == 0) {
        return new Output(true, key, value, headers, r.timestamp(), 0);
      }
      // The estimate was a little off (varint lengths, base64 padding): a few bytes fewer.
      if (valueKept > 0) {
        valueKept = Math.max(0, valueKept - 16);
      } else {
        keyKept = Math.max(0, keyKept - 16);
      }
    }
  }

  private byte[] encode(TaggingError.Builder error, byte[] key, byte[] value, boolean truncated) {
    return codec.encode(
        error
            .setKey(key == null ? null : ByteBuffer.wrap(key))
            .setValue(value == null ? null : ByteBuffer.wrap(value))
            .setTruncated(truncated)
            .build());
  }

  private static byte[] empty(byte[] b) {
    return b == null ? null : new byte[0];
  }

  private static byte[] prefix(byte[] b, int n) {
    return b == null ? null : Arrays.copyOf(b, Math.min(n, b.length));
  }

  private static int length(byte[] b) {
    return b == null ? 0 : b.length;
  }

  /** At most {@code max} chars of {@code s}, never half a surrogate pair. */
  private static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end) + "...";
  }
}
