package org.streamtagger.processor.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code tagger run} in a child JVM of this class path, as an orchestrator runs it: configured by
 * {@code TAGGER_*} variables, its output in a log file, its temporary files (ONNX Runtime's
 * unpacked libraries) in a directory the test removes.
 */
final class ChildProcessor implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final long startedNanos = System.nanoTime();

  private ChildProcessor(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code RunCommand} with {@code env} (on top of this process's environment). */
  static ChildProcessor start(Map<String, String> env, Path scratch, String... args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String[] command = new String[5 + args.length];
    command[0] = java;
    command[1] = "-Djava.io.tmpdir=" + scratch;
    command[2] = "-cp";
    command[3] = System.getProperty("java.class.path");
    command[4] = "org.streamtagger.processor.cli.RunCommand";
    System.arraycopy(args, 0, command, 5, args.length);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Path log = Files.createTempFile(scratch, "child", ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return new ChildProcessor(pb.start(), log);
  }

  /**
   * Waits for it to exit, at most {@code max}.
   *
   * @return its exit code, or null if it was still running
   */
  Integer awaitExit(Duration max) throws InterruptedException {
    return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** Seconds since it started. */
  double seconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** Waits until its log holds {@code text}, at most {@code max}; whether it did. */
  boolean awaitLog(String text, Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (log().contains(text)) {
        return true;
      }
      if (!process.isAlive()) {
        return log().contains(text);
      }
      Thread.sleep(100);
    }
    return false;
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  /** The last line starting with {@code error:}, as a user sees it. */
  String errorLine() throws IOException {
    return log().lines().filter(l -> l.startsWith("error:")).reduce((a, b) -> b).orElse("");
  }

  /** SIGTERM, as a clean stop. */
  void stop() {
    process.destroy();
  }

  /** SIGKILL, as a crash or an orchestrator's kill: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }
}
