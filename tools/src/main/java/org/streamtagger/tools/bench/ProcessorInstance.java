package org.streamtagger.tools.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One processor instance as a fleet runs it: {@code tagger run} in a JVM of its own (this class
 * path, the launcher's collector and heap), configured by {@code TAGGER_*} variables, its state
 * directory and log in a directory of its own, its readiness asked over HTTP.
 */
final class ProcessorInstance implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  final String name;
  private final Process process;
  private final int httpPort;
  private final Path log;

  private ProcessorInstance(String name, Process process, int httpPort, Path log) {
    this.name = name;
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  /**
   * Starts an instance with {@code env}; its state directory is {@code dir}/state, so that an
   * instance started again with the same directory finds its state as a pod with a volume would.
   */
  static ProcessorInstance start(String name, Map<String, String> env, Path dir, int httpPort)
      throws IOException {
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx512m", "-XX:+UseZGC", "-XX:+ExitOnOutOfMemoryError"));
    command.add("-Djava.io.tmpdir=" + dir);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add("org.streamtagger.processor.cli.RunCommand");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.environment().put("TAGGER_STATE_DIR", dir.resolve("state").toString());
    pb.environment().put("TAGGER_HTTP_PORT", Integer.toString(httpPort));
    pb.environment().put("TAGGER_HTTP_BIND", "127.0.0.1");
    Path log = dir.resolve("instance.log");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ProcessorInstance(name, pb.start(), httpPort, log);
  }

  /** Whether its readiness endpoint says ready (Kafka Streams running, partitions held). */
  boolean ready() {
    try {
      HttpResponse<Void> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits until it is ready; fails naming its log if it exits or takes longer than {@code max}. */
  void awaitReady(Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (!ready()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "instance " + name + " exited with " + process.exitValue() + "; its log: " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "instance " + name + " not ready within " + max.toSeconds() + " s; its log: " + log);
      }
      Thread.sleep(50);
    }
  }

  /** CPU time its process has used so far, in seconds. */
  double cpuSeconds() {
    return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  /** SIGKILL: no shutdown hook, no commit, as a crash or an orchestrator's kill. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, and waits for the clean stop. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
