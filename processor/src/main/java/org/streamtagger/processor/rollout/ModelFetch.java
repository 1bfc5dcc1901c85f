package org.streamtagger.processor.rollout;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Fetches an announced model file: a path or {@code file:} URI (a volume every instance mounts) or
 * an {@code http(s):} URL (an object store, a web server). Bounded in size and time, so that a
 * wrong location cannot fill the heap or hold the rollout up.
 */
final class ModelFetch {
  /** Larger than any tagger this project exports (the ensemble: 11 MB) by far. */
  static final long MAX_BYTES = 1L << 30;

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private ModelFetch() {}

  /**
   * The file's bytes.
   *
   * @throws IOException saying what is wrong with the location
   */
  static byte[] fetch(String location) throws IOException, InterruptedException {
    String lower = location.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return http(location);
    }
    Path file;
    try {
      file = lower.startsWith("file:") ? Path.of(new URI(location)) : Path.of(location);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("not a path, file: URI or http(s) URL: " + location);
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException("no such file: " + file);
    }
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException(file + " takes " + Files.size(file) + " bytes, over " + MAX_BYTES);
    }
    return Files.readAllBytes(file);
  }

  private static byte[] http(String location) throws IOException, InterruptedException {
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new IOException("not a URL: " + location);
    }
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HttpResponse<InputStream> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      // Connection refused and the like come without a message of their own.
      throw new IOException("GET " + location + " failed: " + e, e);
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("GET " + location + " answered " + response.statusCode());
      }
      byte[] bytes = in.readNBytes((int) Math.min(MAX_BYTES + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > MAX_BYTES) {
        throw new IOException("GET " + location + ": more than " + MAX_BYTES + " bytes");
      }
      return bytes;
    }
  }
}
