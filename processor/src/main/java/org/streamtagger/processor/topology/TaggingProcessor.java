package org.streamtagger.processor.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares each record ({@link RecordTagger}: decoded, checked, tokenized), buffers the good ones
 * and tags them in micro-batches (one model call per batch); bad records go to the dead-letter sink
 * at once.
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

  private final RecordTagger records;
  private final Batching batching;
  private final Draining draining;
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Long, byte[]> buffer;
  private long nextSeq;

  /** The buffered records this process prepared, by sequence number (not state: a cache). */
  private final Map<Long, RecordTagger.Ready> waiting = new HashMap<>();

  private int buffered;
  private long batchStartMs;
  private long lastJoinedMs;

  private TaggingMetrics metrics;

  TaggingProcessor(RecordTagger records, Batching batching, Draining draining) {
    this.records = records;
    this.draining = draining;
    this.batching = batching;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.buffer = context.getStateStore(TaggingTopology.BUFFER_STORE);
    this.metrics = new TaggingMetrics(context.metrics(), context.taskId().toString());
    records.catchUp();
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
    if (batching.due(buffered, batchStartMs, lastJoinedMs, now, false, draining.requested())) {
      flush();
    }
  }

  /** Tags the batch if it is due now that the record from {@code origin} was processed. */
  private void flushIfDue(RecordMetadata origin) {
    boolean lastFetched =
        batching.quietWhenFetched()
            && FetchedOffsets.isLastFetched(origin.topic(), origin.partition(), origin.offset());
    long now = context.currentSystemTimeMs();
    if (batching.due(
        buffered, batchStartMs, lastJoinedMs, now, lastFetched, draining.requested())) {
      flush();
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata origin = context.recordMetadata().orElseThrow();
    BufferedRecord r =
        new BufferedRecord(
            record.key(),
            record.value(),
            new RecordHeaders(record.headers().toArray()), // a copy: the record's are mutable
            origin.topic(),
            origin.partition(),
            origin.offset(),
            record.timestamp());
    RecordTagger.Prepared prepared = records.prepare(r);
    if (!(prepared instanceof RecordTagger.Ready ready)) {
      emit(prepared);
      flushIfDue(origin);
      return;
    }
    lastJoinedMs = context.currentSystemTimeMs();
    if (buffered == 0) {
      batchStartMs = lastJoinedMs;
    }
    waiting.put(nextSeq, ready);
    buffer.put(nextSeq++, r.toBytes());
    buffered++;
    draining.buffered(1);
    flushIfDue(origin);
  }

  /** Tags everything in the buffer with one model call and emits the results. */
  private void flush() {
    if (buffered == 0) {
      return;
    }
    List<Long> seqs = new ArrayList<>();
    List<RecordTagger.Ready> batch = new ArrayList<>();
    try (KeyValueIterator<Long, byte[]> it = buffer.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        seqs.add(kv.key);
        RecordTagger.Ready cached = waiting.remove(kv.key);
        // Records restored after a crash were prepared by the previous process: prepare again.
        RecordTagger.Prepared p =
            cached != null ? cached : records.prepare(BufferedRecord.fromBytes(kv.value));
        if (p instanceof RecordTagger.Ready ready) {
          batch.add(ready);
        } else {
          emit((RecordTagger.Output) p); // a restored record that no longer passes: never lose it
        }
      }
    }
    if (!batch.isEmpty()) {
      RecordTagger.Batch tagged = records.tag(batch);
      metrics.batch(batch.size(), (tagged.endNanos() - tagged.startNanos()) / 1000);
      tagged.outputs().forEach(this::emit);
    }
    for (Long seq : seqs) {
      buffer.delete(seq);
    }
    draining.buffered(-buffered);
    buffered = 0;
  }

  private void emit(RecordTagger.Prepared prepared) {
    RecordTagger.Output out = (RecordTagger.Output) prepared;
    if (out.deadLetter()) {
      metrics.deadLetter();
    } else {
      metrics.tagged(out.tokens());
    }
    context.forward(
        new Record<>(out.key(), out.value(), out.timestamp(), out.headers()),
        out.deadLetter() ? TaggingTopology.ERROR_SINK : TaggingTopology.OUTPUT_SINK);
  }

  @Override
  public void close() {
    // Whatever is still buffered (a task handed to another instance, or a stop that could not
    // drain) stays in the store; whoever takes over this task flushes it.
    draining.buffered(-buffered);
    buffered = 0;
  }
}
