package org.streamtagger.processor.rollout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.tagging.inference.InferenceOptions;
import org.streamtagger.tagging.inference.OnnxTagger;

/**
 * Announces a model on the control topic, after checking here what can be checked before any
 * instance sees it: the file loads as an exported tagger, and its name and version.
 */
public final class Announcer {
  private static final int TIMEOUT_SECONDS = 15;

  private Announcer() {}

  /**
   * The announcement of a model file: its metadata's name, {@code version} or its metadata's, its
   * SHA-256, and where instances fetch it ({@code location}, or the file's absolute path).
   *
   * @throws IOException if the file is missing or not an exported tagger
   */
  public static ModelAnnouncement describe(Path model, String version, String location)
      throws IOException {
    if (!Files.isRegularFile(model)) {
      throw new IOException(model + ": no such model file");
    }
    byte[] bytes = Files.readAllBytes(model);
    try (OnnxTagger tagger =
        OnnxTagger.fromBytes(bytes, model.toString(), InferenceOptions.defaults())) {
      return new ModelAnnouncement(
          location != null ? location : model.toAbsolutePath().normalize().toUri().toString(),
          tagger.model().name(),
          version != null ? version : tagger.model().version(),
          tagger.sha256());
    }
  }

  /**
   * Writes the announcement to the configured control topic and waits for the broker to take it.
   *
   * @return where it was written
   * @throws IOException if there is no control topic, or the broker does not take the record
   */
  public static RecordMetadata announce(ProcessorConfig config, ModelAnnouncement a)
      throws IOException, InterruptedException {
    String topic = config.modelControlTopic();
    if (topic == null) {
      throw new IOException("tagger.model.control.topic is empty: the processors follow no topic");
    }
    Properties p = config.plainProducer();
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(TIMEOUT_SECONDS * 1000));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(TIMEOUT_SECONDS * 1000));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(TIMEOUT_SECONDS * 1000));
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      return producer
          .send(
              new ProducerRecord<>(
                  topic, a.name().getBytes(java.nio.charset.StandardCharsets.UTF_8), a.toJson()))
          .get(2L * TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException(
          "announcing on "
              + topic
              + " at "
              + config.get("bootstrap.servers")
              + " failed: "
              + cause.getMessage()
              + (cause instanceof org.apache.kafka.common.errors.TimeoutException
                  ? " (does the topic exist? a processor creates it at start, where"
                      + " tagger.topics.create allows)"
                  : ""),
          e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IOException("announcing on " + topic + " failed: " + e.getMessage(), e);
    }
  }
}
