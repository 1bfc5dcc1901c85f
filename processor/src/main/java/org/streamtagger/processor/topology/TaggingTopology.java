package org.streamtagger.processor.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.tagging.inference.SentenceTagger;

/**
 * The whole stream in one method: input topic → decode, tokenize, tag in micro-batches → output
 * topic, and records that cannot be tagged → dead-letter topic.
 */
public final class TaggingTopology {
  public static final String SOURCE = "sentences";
  public static final String TAGGER = "tagger";
  public static final String OUTPUT_SINK = "tagged";
  public static final String ERROR_SINK = "dead-letters";
  public static final String BUFFER_STORE = "tagging-buffer";

  private TaggingTopology() {}

  /**
   * Builds the topology.
   *
   * @param topics input, output and dead-letter topic names
   * @param tagger the model (shared by all stream threads; it is thread-safe)
   * @param codec record formats
   * @param limits record sizes in and out
   * @param batching micro-batch size and wait
   */
  public static Topology build(
      Topics topics,
      SentenceTagger tagger,
      SentenceCodec codec,
      RecordLimits limits,
      Batching batching) {
    return build(topics, tagger, codec, limits, batching, new Draining());
  }

  /**
   * Builds the topology.
   *
   * @param draining how a clean stop asks the processors to empty their buffers
   */
  public static Topology build(
      Topics topics,
      SentenceTagger tagger,
      SentenceCodec codec,
      RecordLimits limits,
      Batching batching,
      Draining draining) {
    Topology t = new Topology();
    RecordTagger records = new RecordTagger(tagger, codec, limits);
    t.addSource(
        SOURCE,
        Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.input());
    // The tasks of one stream thread share its model's load: they take turns on the same core.
    ThreadLocal<ModelLoad> loads = ModelLoad.perThread();
    t.addProcessor(TAGGER, () -> new TaggingProcessor(records, batching, draining, loads), SOURCE);
    // The buffer is changelogged: records waiting for their batch survive a crash (see
    // TaggingProcessor), under at_least_once and exactly_once_v2 alike.
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(BUFFER_STORE), Serdes.Long(), Serdes.ByteArray()),
        TAGGER);
    t.addSink(
        OUTPUT_SINK,
        topics.output(),
        Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer(),
        TAGGER);
    t.addSink(
        ERROR_SINK,
        topics.deadLetters(),
        Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer(),
        TAGGER);
    return t;
  }

  /**
   * The topic names.
   *
   * @param input sentences in
   * @param output tagged sentences out
   * @param deadLetters records that could not be tagged
   */
  public record Topics(String input, String output, String deadLetters) {
    public static Topics defaults() {
      return new Topics("sentences", "tagged-sentences", "tagging-errors");
    }
  }

  /**
   * How records are grouped for one model call. While records keep coming (a backlog, or records
   * that arrived during the previous model call) a batch fills up; when the input goes quiet it is
   * tagged at once, so a lone record does not wait for company. With {@code quietWhenFetched}, the
   * input counts as quiet as soon as the batch holds the last record the stream thread's consumer
   * has fetched for its partition ({@link FetchedOffsets}): more can only come with a later poll,
   * and waiting out {@code quietMs} for it would delay the call. With {@code busyShare} below 1,
   * while the stream thread spends at least that share of its recent time in model calls ({@link
   * ModelLoad}), a batch waits for its maximum wait instead, trading latency for larger batches. At
   * half load that cost more latency than it saved (docs/BENCHMARKS.md), so it is off by default.
   *
   * <p>With {@code behindMs} above 0, a batch whose newest record was already that old (by its
   * timestamp) when it joined is behind the input: more records are waiting in the topic, and the
   * quiet rule would tag the batch before the next fetch brings them. Such a batch waits until it
   * is full or its maximum wait is up, so that a backlog is tagged in large, cheaper calls.
   *
   * @param maxRecords a batch is tagged as soon as it holds this many records
   * @param maxWaitMs and at the latest this long (wall clock) after it started
   * @param quietMs or, unless the model is busy, as soon as no record has joined it for this long
   * @param quietWhenFetched or as soon as it holds the last record fetched for its partition
   * @param busyShare the model is busy when its calls took at least this share of the stream
   *     thread's recent time (1: never, the default)
   * @param behindMs a batch is behind when a record this old joined it (0: never, the default)
   */
  public record Batching(
      int maxRecords,
      long maxWaitMs,
      long quietMs,
      boolean quietWhenFetched,
      double busyShare,
      long behindMs) {
    public Batching {
      if (maxRecords < 1 || maxWaitMs < 1 || quietMs < 1) {
        throw new IllegalArgumentException(
            "batch size, wait and quiet time must be positive, got "
                + maxRecords
                + ", "
                + maxWaitMs
                + " and "
                + quietMs);
      }
      if (behindMs < 0) {
        throw new IllegalArgumentException("behind time must not be negative, got " + behindMs);
      }
      if (!(busyShare > 0 && busyShare <= 1)) {
        throw new IllegalArgumentException("busy share must be in (0, 1], got " + busyShare);
      }
    }
  }
}
