package org.streamtagger.processor.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.streamtagger.processor.rollout.ServingModel;
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
    return build(topics, new ServingModel(tagger, null, null), codec, limits, batching, draining);
  }

  /**
   * Builds the topology.
   *
   * @param models the served model, replaceable while the stream runs
   */
  public static Topology build(
      Topics topics,
      ServingModel models,
      SentenceCodec codec,
      RecordLimits limits,
      Batching batching,
      Draining draining) {
    Topology t = new Topology();
    RecordTagger records = new RecordTagger(models, codec, limits);
    t.addSource(
        SOURCE,
        Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.input());
    t.addProcessor(TAGGER, () -> new TaggingProcessor(records, batching, draining), SOURCE);
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
}
