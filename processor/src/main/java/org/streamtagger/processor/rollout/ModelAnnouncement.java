package org.streamtagger.processor.rollout;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A record of the model control topic: "serve this model". JSON, so that an operator can read and
 * write the topic with Kafka's console tools:
 *
 * <pre>{"location": "file:/models/ewt-upos-2.onnx", "name": "ewt-upos", "version": "2",
 *  "sha256": "3f5a..."}</pre>
 *
 * @param location where every instance fetches the file: a path, a {@code file:} URI or an {@code
 *     http(s):} URL
 * @param name the model's name, as output records show it
 * @param version the version output records show ({@code name:version})
 * @param sha256 the file's SHA-256, 64 hexadecimal digits
 */
public record ModelAnnouncement(String location, String name, String version, String sha256) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  /** Names and versions go into every output record and log line: short, printable, no ':'. */
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._+-]{1,100}");

  /**
   * @throws IllegalArgumentException naming the field that is missing or wrong
   */
  public ModelAnnouncement {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("location is missing");
    }
    label("name", name);
    label("version", version);
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 hexadecimal digits, got " + sha256);
    }
    sha256 = sha256.toLowerCase(java.util.Locale.ROOT);
  }

  private static void label(String field, String value) {
    if (value == null || !LABEL.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field
              + " must be 1-100 letters, digits or ._+- (got "
              + (value == null ? "nothing" : "\"" + shorten(value) + "\"")
              + ")");
    }
  }

  /**
   * Reads a control record's value.
   *
   * @throws IllegalArgumentException if it is not a model announcement, saying why
   */
  public static ModelAnnouncement parse(byte[] value) {
    if (value == null || value.length == 0) {
      throw new IllegalArgumentException("not a model announcement: the record has no value");
    }
    JsonNode node;
    try {
      node = JSON.readTree(value);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not a model announcement: not JSON ("
              + shorten(new String(value, 0, Math.min(value.length, 80), StandardCharsets.UTF_8))
              + ")");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a model announcement: not a JSON object");
    }
    try {
      return new ModelAnnouncement(
          text(node, "location"), text(node, "name"), text(node, "version"), text(node, "sha256"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a model announcement: " + e.getMessage());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return v.asText();
  }

  /** The record value {@link #parse} reads. */
  public byte[] toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("location", location);
    o.put("name", name);
    o.put("version", version);
    o.put("sha256", sha256);
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code name:version}, as output records name the model. */
  public String label() {
    return name + ":" + version;
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
