package org.streamtagger.processor.topology;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamtagger.avro.ErrorKind;
import org.streamtagger.avro.Sentence;
import org.streamtagger.avro.TaggedSentence;
import org.streamtagger.avro.TaggedToken;
import org.streamtagger.avro.TaggingError;
import org.streamtagger.processor.serde.DecodeException;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.tagging.inference.SentenceTagger;
import org.streamtagger.tagging.inference.TaggedText;
import org.streamtagger.tagging.inference.Tagging;
import org.streamtagger.tagging.inference.TextTagger;

/**
 * Decodes each record, buffers the good ones and tags them in micro-batches (one model call per
 * batch); bad records go to the dead-letter sink at once.
 *
 * <p>Why nothing is lost: a record is consumed (its offset may be committed) as soon as {@link
 * #process} returns, before its batch is tagged. So the buffer is a changelogged state store, not a
 * field: Kafka Streams flushes the store's changelog before it commits offsets, and under
 * exactly_once_v2 writes changelog, outputs and offsets in one transaction. After a crash the store
 * is restored with every record that was consumed but not yet emitted, and the next flush emits
 * them: at least once under at_least_once, exactly once under exactly_once_v2. Batches are flushed
 * in arrival order, so records with the same key keep their order. A clean stop first empties the
 * buffer ({@link Draining}), so that it does not leave records for a restart to emit.
 */
final class TaggingProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(TaggingProcessor.class);
  private static final long MAX_TICK_MS = 5;

  private final SentenceTagger tagger;
  private final TextTagger textTagger;
  private final SentenceCodec codec;
  private final TaggingTopology.Batching batching;
  private final Draining draining;
  private final ThreadLocal<ModelLoad> loads;
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Long, byte[]> buffer;
  private long nextSeq;

  /** The buffered records this process decoded, by sequence number (not state: a cache). */
  private final Map<Long, Sentence> decoded = new HashMap<>();

  private int buffered;
  private long batchStartMs;
  private long lastJoinedMs;

  /** Whether the batch's newest record was already {@code behindMs} old when it joined. */
  private boolean behind;

  private TaggingMetrics metrics;

  TaggingProcessor(
      SentenceTagger tagger,
      SentenceCodec codec,
      TaggingTopology.Batching batching,
      Draining draining,
      ThreadLocal<ModelLoad> loads) {
    this.tagger = tagger;
    this.draining = draining;
    this.loads = loads;
    this.textTagger = new TextTagger(tagger);
    this.codec = codec;
    this.batching = batching;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.buffer = context.getStateStore(TaggingTopology.BUFFER_STORE);
    this.metrics = new TaggingMetrics(context.metrics(), context.taskId().toString());
    try (KeyValueIterator<Long, byte[]> it = buffer.all()) {
      while (it.hasNext()) {
        nextSeq = Math.max(nextSeq, it.next().key + 1);
        buffered++;
      }
    }
    if (buffered > 0) {
      LOG.info("task {}: {} records restored in the batch buffer", context.taskId(), buffered);
      draining.buffered(buffered);
      batchStartMs = context.currentSystemTimeMs();
      lastJoinedMs = batchStartMs;
    }
    // A short tick, so that a batch waits its time from its first record, a quiet input is
    // noticed, and a stop that asks for the buffers to drain is served within a few milliseconds.
    long tick = Math.min(Math.min(batching.maxWaitMs(), batching.quietMs()), MAX_TICK_MS);
    context.schedule(Duration.ofMillis(tick), PunctuationType.WALL_CLOCK_TIME, this::onTick);
  }

  private void onTick(long now) {
    if (buffered > 0
        && (draining.requested()
            || now - batchStartMs >= batching.maxWaitMs()
            || (now - lastJoinedMs >= batching.quietMs() && mayTagBeforeFull()))) {
      flush();
    }
  }

  /** Whether the quiet rules apply: the batch is not behind the input and the model not busy. */
  private boolean mayTagBeforeFull() {
    return !behind && !loads.get().busy(System.nanoTime(), batching.busyShare());
  }

  /**
   * Whether the batch holds everything fetched for the partition of the record just processed, so
   * that only the records of a later poll could still join it. Tagging now saves the quiet wait
   * (the next poll and tick), which at half load came with almost every model call
   * (docs/BENCHMARKS.md).
   */
  private boolean holdsAllFetched(RecordMetadata origin) {
    return batching.quietWhenFetched()
        && FetchedOffsets.isLastFetched(origin.topic(), origin.partition(), origin.offset())
        && mayTagBeforeFull();
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata origin = context.recordMetadata().orElseThrow();
    BufferedRecord r =
        new BufferedRecord(
            record.key(),
            record.value(),
            origin.topic(),
            origin.partition(),
            origin.offset(),
            record.timestamp());
    Sentence sentence;
    try {
      sentence = codec.decode(r.value(), fallbackId(r));
    } catch (DecodeException e) {
      deadLetter(r, e.kind(), e.getMessage(), null);
      if (buffered > 0 && holdsAllFetched(origin)) {
        flush();
      }
      return;
    }
    lastJoinedMs = context.currentSystemTimeMs();
    behind = batching.behindMs() > 0 && lastJoinedMs - record.timestamp() >= batching.behindMs();
    if (buffered == 0) {
      batchStartMs = lastJoinedMs;
    }
    decoded.put(nextSeq, sentence);
    buffer.put(nextSeq++, r.toBytes());
    buffered++;
    draining.buffered(1);
    if (buffered >= batching.maxRecords() || draining.requested() || holdsAllFetched(origin)) {
      flush();
    }
  }

  /** Tags everything in the buffer with one model call and emits the results. */
  private void flush() {
    if (buffered == 0) {
      return;
    }
    List<Long> seqs = new ArrayList<>();
    List<BufferedRecord> records = new ArrayList<>();
    List<Sentence> sentences = new ArrayList<>();
    try (KeyValueIterator<Long, byte[]> it = buffer.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        BufferedRecord r = BufferedRecord.fromBytes(kv.value);
        seqs.add(kv.key);
        Sentence s = decoded.remove(kv.key);
        try {
          // Records restored after a crash were decoded by the previous process: decode again.
          sentences.add(s != null ? s : codec.decode(r.value(), fallbackId(r)));
          records.add(r);
        } catch (DecodeException e) {
          deadLetter(r, e.kind(), e.getMessage(), null); // cannot happen twice, but never lose it
        }
      }
    }
    if (!sentences.isEmpty()) {
      tagAndEmit(records, sentences);
    }
    for (Long seq : seqs) {
      buffer.delete(seq);
    }
    draining.buffered(-buffered);
    buffered = 0;
  }

  private void tagAndEmit(List<BufferedRecord> records, List<Sentence> sentences) {
    long start = System.nanoTime();
    List<Object> results = new ArrayList<>(sentences.size());
    try {
      results.addAll(tagBatch(sentences));
    } catch (RuntimeException e) {
      // One bad sentence must not sink the batch: retry one by one to find it.
      LOG.warn("batch of {} failed ({}); tagging one by one", sentences.size(), e.toString());
      results.clear();
      for (Sentence s : sentences) {
        try {
          results.add(tagBatch(List.of(s)).get(0));
        } catch (RuntimeException one) {
          results.add(one);
        }
      }
    }
    long end = System.nanoTime();
    loads.get().called(start, end);
    long micros = (end - start) / 1000;
    metrics.batch(sentences.size(), micros);
    long now = System.currentTimeMillis();
    for (int i = 0; i < sentences.size(); i++) {
      BufferedRecord r = records.get(i);
      Sentence s = sentences.get(i);
      Object result = results.get(i);
      if (result instanceof RuntimeException e) {
        deadLetter(r, ErrorKind.TAGGING_FAILED, e.getMessage(), s.getId());
        continue;
      }
      List<TaggedToken> tokens = (List<TaggedToken>) castTokens(result);
      TaggedSentence out =
          TaggedSentence.newBuilder()
              .setId(s.getId())
              .setTokens(tokens)
              .setModel(tagger.model().name() + ":" + tagger.model().version())
              .setTagColumn(tagger.model().tagColumn())
              .setReceivedMs(r.timestamp())
              .setTaggedMs(now)
              .setInferenceUs(micros)
              .setBatchSize(sentences.size())
              .setLanguage(s.getLanguage())
              .setMetadata(s.getMetadata() == null ? new HashMap<>() : s.getMetadata())
              .build();
      metrics.tagged(tokens.size());
      context.forward(
          new Record<>(r.key(), codec.encode(out), r.timestamp()), TaggingTopology.OUTPUT_SINK);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<TaggedToken> castTokens(Object o) {
    return (List<TaggedToken>) o;
  }

  /** Tags sentences given as text and sentences given as tokens, all in one model call each. */
  private List<List<TaggedToken>> tagBatch(List<Sentence> sentences) {
    List<String> texts = new ArrayList<>();
    List<List<String>> tokenized = new ArrayList<>();
    for (Sentence s : sentences) {
      if (s.getTokens() != null && !s.getTokens().isEmpty()) {
        tokenized.add(s.getTokens());
      } else {
        texts.add(s.getText());
      }
    }
    List<TaggedText> fromText = texts.isEmpty() ? List.of() : textTagger.tagAll(texts);
    List<Tagging> fromTokens = tokenized.isEmpty() ? List.of() : tagger.tag(tokenized);
    List<List<TaggedToken>> out = new ArrayList<>();
    int t = 0;
    int k = 0;
    for (Sentence s : sentences) {
      List<TaggedToken> tokens = new ArrayList<>();
      if (s.getTokens() != null && !s.getTokens().isEmpty()) {
        Tagging tagging = fromTokens.get(k++);
        for (int i = 0; i < s.getTokens().size(); i++) {
          tokens.add(
              new TaggedToken(
                  s.getTokens().get(i),
                  tagging.tags().get(i),
                  tagging.confidence()[i],
                  null,
                  null));
        }
      } else {
        for (TaggedText.Word w : fromText.get(t++).words()) {
          tokens.add(new TaggedToken(w.word(), w.tag(), w.confidence(), w.start(), w.end()));
        }
      }
      out.add(tokens);
    }
    return out;
  }

  private void deadLetter(BufferedRecord r, ErrorKind kind, String reason, String sentenceId) {
    TaggingError error =
        TaggingError.newBuilder()
            .setKind(kind)
            .setReason(reason == null ? kind.name() : reason)
            .setTopic(r.topic())
            .setPartition(r.partition())
            .setOffset(r.offset())
            .setTimestampMs(r.timestamp())
            .setKey(r.key() == null ? null : ByteBuffer.wrap(r.key()))
            .setValue(r.value() == null ? null : ByteBuffer.wrap(r.value()))
            .setSentenceId(sentenceId)
            .build();
    metrics.deadLetter();
    LOG.debug("dead letter {}-{}@{}: {} {}", r.topic(), r.partition(), r.offset(), kind, reason);
    context.forward(
        new Record<>(r.key(), codec.encode(error), r.timestamp()), TaggingTopology.ERROR_SINK);
  }

  private static String fallbackId(BufferedRecord r) {
    return r.topic() + "-" + r.partition() + "-" + r.offset();
  }

  @Override
  public void close() {
    // Whatever is still buffered (a task handed to another instance, or a stop that could not
    // drain) stays in the store; whoever takes over this task flushes it.
    draining.buffered(-buffered);
    buffered = 0;
  }
}
