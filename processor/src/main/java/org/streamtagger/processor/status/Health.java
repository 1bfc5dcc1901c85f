package org.streamtagger.processor.status;

/**
 * Whether the processor can work (live) and does (ready), and if not why.
 *
 * @param live the process can still work: restarting it would not help while this holds
 * @param ready it tags: Kafka Streams running, the model loaded, partitions assigned, the broker
 *     answering
 * @param reason what is missing, for the probe's answer; empty when ready
 */
public record Health(boolean live, boolean ready, String reason) {}
