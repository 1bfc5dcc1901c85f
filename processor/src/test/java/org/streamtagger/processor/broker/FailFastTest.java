package org.streamtagger.processor.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.broker.EmbeddedKafka;

/**
 * {@code tagger run} in a child JVM, in each way it cannot work: it exits non-zero, within a bound,
 * with one {@code error:} line saying why, so that an orchestrator restarts it or a person looks;
 * and a clean stop exits 0. Each case prints its exit code and seconds.
 */
@ExtendWith(SharedBroker.class)
class FailFastTest {
  /** A JVM start, the model's load and the checks before the streams: well under this. */
  private static final Duration BOUND = Duration.ofSeconds(45);

  private static EmbeddedKafka kafka;
  @TempDir Path scratch;

  @BeforeAll
  static void broker(EmbeddedKafka shared) {
    kafka = shared;
  }

  private Map<String, String> env(String prefix) {
    Map<String, String> env = new HashMap<>();
    env.put("TAGGER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("TAGGER_APPLICATION_ID", prefix);
    env.put("TAGGER_INPUT_TOPIC", prefix + "-in");
    env.put("TAGGER_OUTPUT_TOPIC", prefix + "-out");
    env.put("TAGGER_ERROR_TOPIC", prefix + "-err");
    return env;
  }

  /** Runs the child to its exit; its exit code, checked against the bound and the message. */
  private String exits(String name, Map<String, String> env, String expected) throws Exception {
    try (ChildProcessor child = ChildProcessor.start(env, scratch)) {
      Integer code = child.awaitExit(BOUND);
      double seconds = child.seconds();
      System.out.printf(
          "fail fast: %-40s exit %s after %.1f s: %s%n", name, code, seconds, child.errorLine());
      assertEquals(1, code, name + ": " + child.log());
      assertTrue(child.errorLine().contains(expected), child.errorLine() + "\n" + child.log());
      return child.errorLine();
    }
  }

  @Test
  void aMissingSourceTopicWithCreationOff() throws Exception {
    Map<String, String> env = env("ff-missing");
    env.put("TAGGER_TOPICS_CREATE", "false");
    exits(
        "source topic missing, creation off",
        env,
        "do not exist and tagger.topics.create is false");
  }

  @Test
  void aConfigurationThatCannotWork() throws Exception {
    Map<String, String> env = env("ff-config");
    env.put("TAGGER_NUM_STREAM_THREADS", "-2");
    exits("num.stream.threads=-2", env, "num.stream.threads=-2: must be at least 1");
  }

  @Test
  void aModelThatFailsToLoad() throws Exception {
    Map<String, String> env = env("ff-model");
    env.put("TAGGER_MODEL_PATH", scratch.resolve("no-such.onnx").toString());
    exits("model that fails to load", env, "no such model file");
  }

  @Test
  void aHealthPortInUse() throws Exception {
    Map<String, String> env = env("ff-port");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      env.put("TAGGER_HTTP_PORT", Integer.toString(taken.getLocalPort()));
      env.put("TAGGER_HTTP_BIND", "127.0.0.1");
      exits(
          "health port in use",
          env,
          "error: tagger.http.port=" + taken.getLocalPort() + ": cannot listen on");
    }
  }

  @Test
  void aBrokerThatDoesNotAnswer() throws Exception {
    Map<String, String> env = env("ff-broker");
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    env.put("TAGGER_BOOTSTRAP_SERVERS", "127.0.0.1:" + closed);
    exits("broker that does not answer", env, "cannot reach Kafka at 127.0.0.1:" + closed);
  }

  /**
   * A broker that allows no session timeout as short as the processor's default (as a managed
   * cluster may): the join fails the same way every time, so the processor stops at once.
   */
  @Test
  void aSessionTimeoutTheBrokerRefuses() throws Exception {
    try (EmbeddedKafka strict =
        EmbeddedKafka.startWith(Map.of("group.min.session.timeout.ms", "10000"))) {
      Map<String, String> env = env("ff-session");
      env.put("TAGGER_BOOTSTRAP_SERVERS", strict.bootstrapServers());
      exits("session timeout the broker refuses", env, "InvalidSessionTimeoutException");
    }
  }

  @Test
  void aSourceTopicDeletedWhileRunningStopsTheProcessor() throws Exception {
    Map<String, String> env = env("ff-deleted");
    kafka.createTopics(List.of("ff-deleted-in", "ff-deleted-out", "ff-deleted-err"), 1);
    try (ChildProcessor child = ChildProcessor.start(env, scratch)) {
      assertTrue(child.awaitLog("-> RUNNING", BOUND), child.log());
      long deleted = System.nanoTime();
      try (var admin = kafka.admin()) {
        admin.deleteTopics(List.of("ff-deleted-in")).all().get(30, TimeUnit.SECONDS);
      }
      Integer code = child.awaitExit(Duration.ofSeconds(120));
      double seconds = (System.nanoTime() - deleted) / 1e9;
      System.out.printf(
          "fail fast: %-40s exit %s %.1f s after the deletion: %s%n",
          "source topic deleted while running", code, seconds, child.errorLine());
      assertEquals(1, code, child.log());
      assertTrue(child.errorLine().startsWith("error: the processor stopped: "), child.log());
    }
  }

  @Test
  void aCleanStopExitsZero() throws Exception {
    Map<String, String> env = env("ff-stop");
    try (ChildProcessor child = ChildProcessor.start(env, scratch)) {
      assertTrue(child.awaitLog("-> RUNNING", BOUND), child.log());
      long stopped = System.nanoTime();
      child.stop();
      Integer code = child.awaitExit(Duration.ofSeconds(45));
      System.out.printf(
          "fail fast: %-40s exit %s %.1f s after SIGTERM%n",
          "clean stop (SIGTERM)", code, (System.nanoTime() - stopped) / 1e9);
      assertEquals(0, code, child.log());
      assertTrue(child.log().contains("stopped"), child.log());
    }
  }
}
