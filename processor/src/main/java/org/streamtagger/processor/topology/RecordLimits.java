package org.streamtagger.processor.topology;

/**
 * How large records may be, in and out. An input record larger than {@code maxRecordBytes} (key and
 * value together) or with more than {@code maxWords} words to tag becomes a {@code TOO_LARGE} dead
 * letter before the model sees it. A record the processor writes must fit what the producer sends
 * ({@code max.request.size}) and what the topic accepts ({@code max.message.bytes}): a tagged
 * sentence that would not becomes a dead letter, and a dead letter that would not carries only the
 * first bytes of the original key and value ({@code truncated}).
 *
 * @param maxRecordBytes largest input record (key and value bytes) that is tagged
 * @param maxWords most words (the tokens the model tags) in an input sentence
 * @param maxOutputBytes largest key and value a record on the output topic may have
 * @param maxDeadLetterBytes largest key and value a record on the dead-letter topic may have
 */
public record RecordLimits(
    int maxRecordBytes, int maxWords, int maxOutputBytes, int maxDeadLetterBytes) {

  /**
   * What a record costs beyond its key and value on the way to the broker: the batch header (61
   * bytes), the record's own header (at most 21) and room for a few small headers.
   */
  public static final int RECORD_OVERHEAD = 256;

  /** Kafka's defaults: {@code max.request.size} 1 MiB, and a broker's {@code message.max.bytes}. */
  public static final int KAFKA_DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

  public static final int KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

  public RecordLimits {
    if (maxRecordBytes < 1 || maxWords < 1 || maxOutputBytes < 1 || maxDeadLetterBytes < 1) {
      throw new IllegalArgumentException(
          "record limits must be positive, got "
              + maxRecordBytes
              + ", "
              + maxWords
              + ", "
              + maxOutputBytes
              + ", "
              + maxDeadLetterBytes);
    }
  }

  /** The largest key and value of a record that a producer and topic with these limits accept. */
  public static int payloadLimit(int maxRequestSize, int maxMessageBytes) {
    return Math.min(maxRequestSize, maxMessageBytes) - RECORD_OVERHEAD;
  }

  /** Inputs as given, outputs as Kafka's defaults allow. */
  public static RecordLimits withKafkaDefaults(int maxRecordBytes, int maxWords) {
    int payload = payloadLimit(KAFKA_DEFAULT_MAX_REQUEST_SIZE, KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
    return new RecordLimits(maxRecordBytes, maxWords, payload, payload);
  }
}
