package org.streamtagger.processor.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The processor's health and metrics over HTTP, for an orchestrator and a Prometheus server:
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the process can still work (Kafka Streams not failed or
 *       stopping), else 503 with the reason: a liveness probe restarts it;
 *   <li>{@code GET /health/ready}: 200 once it tags (Kafka Streams running, the model loaded,
 *       partitions assigned, the broker answering), else 503 with the reason;
 *   <li>{@code GET /metrics}: every meter of the registry in Prometheus' text format (Kafka
 *       Streams' client, thread and task metrics, the tagging metrics, the JVM's).
 * </ul>
 *
 * Answers come from state the service keeps, so no probe waits on the broker for longer than the
 * health check's own bound. The JDK's HTTP server, on two threads.
 */
public final class StatusServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;

  private StatusServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Listens on {@code bind:port} (port 0: any free port).
   *
   * @param health the service's health, asked on every probe
   * @param metrics the registry scraped on every {@code /metrics}
   * @throws IOException naming the address when it cannot listen (a port in use)
   */
  public static StatusServer start(
      String bind, int port, Supplier<Health> health, PrometheusMeterRegistry metrics)
      throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    } catch (BindException e) {
      throw new IOException(
          "tagger.http.port="
              + port
              + ": cannot listen on "
              + bind
              + ":"
              + port
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
    server.createContext(
        "/health/live",
        x -> {
          Health h = health.get();
          respond(
              x,
              h.live() ? 200 : 503,
              h.live() ? "live\n" : "not live: " + h.reason() + "\n",
              "text/plain");
        });
    server.createContext(
        "/health/ready",
        x -> {
          Health h = health.get();
          respond(
              x,
              h.ready() ? 200 : 503,
              h.ready() ? "ready\n" : "not ready: " + h.reason() + "\n",
              "text/plain");
        });
    server.createContext(
        "/metrics", x -> respond(x, 200, metrics.scrape(), "text/plain; version=0.0.4"));
    server.createContext(
        "/",
        x -> respond(x, 404, "not found: /health/live, /health/ready, /metrics\n", "text/plain"));
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "status-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.start();
    return new StatusServer(server, threads);
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange x, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
