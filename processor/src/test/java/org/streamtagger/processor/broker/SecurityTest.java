package org.streamtagger.processor.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.processor.serde.SentenceCodec;

/**
 * The processor against a broker that authenticates (SASL PLAIN) and authorizes (ACLs), in a child
 * JVM configured as an operator would: with the right credentials it tags; with a wrong password,
 * or without the right to write its output topic, it exits non-zero within the bound with one line
 * saying why. No secret appears in any line it logs.
 */
class SecurityTest {
  private static final String ADMIN_PASSWORD = "admin-pw-1f3a";
  private static final String ALICE_PASSWORD = "alice-pw-77c2";
  private static final String BOB_PASSWORD = "bob-pw-90d1";
  private static final Duration BOUND = Duration.ofSeconds(45);

  private static EmbeddedKafka kafka;
  @TempDir Path scratch;

  @BeforeAll
  static void securedBroker() throws Exception {
    kafka =
        EmbeddedKafka.startWithSasl(
            ADMIN_PASSWORD, Map.of("alice", ALICE_PASSWORD, "bob", BOB_PASSWORD));
    try (Admin admin = kafka.admin()) {
      for (String user : List.of("alice", "bob")) {
        admin
            .createAcls(
                List.of(
                    allow(user, ResourceType.TOPIC, "sec-"),
                    allow(user, ResourceType.GROUP, "sec-"),
                    allow(user, ResourceType.TRANSACTIONAL_ID, "sec-")))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      // Bob may not write the output topic.
      admin
          .createAcls(
              List.of(
                  new AclBinding(
                      new ResourcePattern(ResourceType.TOPIC, "sec-bob-out", PatternType.LITERAL),
                      new AccessControlEntry(
                          "User:bob", "*", AclOperation.WRITE, AclPermissionType.DENY))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static AclBinding allow(String user, ResourceType type, String prefix) {
    return new AclBinding(
        new ResourcePattern(type, prefix, PatternType.PREFIXED),
        new AccessControlEntry("User:" + user, "*", AclOperation.ALL, AclPermissionType.ALLOW));
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private Map<String, String> env(String prefix, String user, String password) {
    Map<String, String> env = new HashMap<>();
    env.put("TAGGER_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("TAGGER_APPLICATION_ID", prefix);
    env.put("TAGGER_INPUT_TOPIC", prefix + "-in");
    env.put("TAGGER_OUTPUT_TOPIC", prefix + "-out");
    env.put("TAGGER_ERROR_TOPIC", prefix + "-err");
    env.put("TAGGER_MODEL_CONTROL_TOPIC", prefix + "-models");
    EmbeddedKafka.clientSettings(user, password)
        .forEach((k, v) -> env.put("TAGGER_" + k.toUpperCase().replace('.', '_'), v.toString()));
    return env;
  }

  private static void assertNoSecretIn(String log) {
    for (String secret : List.of(ADMIN_PASSWORD, ALICE_PASSWORD, BOB_PASSWORD)) {
      assertFalse(log.contains(secret), "a password in the log:\n" + log);
    }
  }

  @Test
  void withTheRightCredentialsItTags() throws Exception {
    kafka.createTopics(List.of("sec-alice-in", "sec-alice-out", "sec-alice-err"), 1);
    Map<String, Object> admin = new HashMap<>(kafka.adminClientSettings());
    try (ChildProcessor child =
            ChildProcessor.start(env("sec-alice", "alice", ALICE_PASSWORD), scratch);
        StreamHarness h = new StreamHarness(kafka.bootstrapServers(), admin);
        var out = h.consumer("sec-alice-out", "sec-reader")) {
      assertTrue(child.awaitLog("-> RUNNING", BOUND), child.log());
      h.send(
          "sec-alice-in", "k", "Only the right clients get in.".getBytes(StandardCharsets.UTF_8));
      var tagged = StreamHarness.readUntil(out, r -> !r.isEmpty(), Duration.ofSeconds(60));
      assertEquals(1, tagged.size(), child.log());
      assertEquals(7, SentenceCodec.decodeTagged(tagged.get(0).value()).getTokens().size());
      System.out.println("security: alice (right credentials) tagged 1 of 1 sentence");
      child.stop();
      assertEquals(0, child.awaitExit(Duration.ofSeconds(45)));
      assertTrue(child.log().contains("sasl.jaas.config=****"), child.log());
      assertNoSecretIn(child.log());
    }
  }

  @Test
  void aWrongPasswordExitsAtOnce() throws Exception {
    try (ChildProcessor child =
        ChildProcessor.start(env("sec-wrong", "alice", "not-" + ALICE_PASSWORD), scratch)) {
      Integer code = child.awaitExit(BOUND);
      System.out.printf(
          "security: wrong password: exit %s after %.1f s: %s%n",
          code, child.seconds(), child.errorLine());
      assertEquals(1, code, child.log());
      assertTrue(child.errorLine().startsWith("error: authentication with Kafka at"), child.log());
      assertNoSecretIn(child.log());
    }
  }

  @Test
  void withoutTheRightToWriteTheOutputItExitsAtOnce() throws Exception {
    kafka.createTopics(List.of("sec-bob-in", "sec-bob-out", "sec-bob-err"), 1);
    try (ChildProcessor child =
        ChildProcessor.start(env("sec-bob", "bob", BOB_PASSWORD), scratch)) {
      Integer code = child.awaitExit(BOUND);
      System.out.printf(
          "security: no WRITE on the output topic: exit %s after %.1f s: %s%n",
          code, child.seconds(), child.errorLine());
      assertEquals(1, code, child.log());
      assertTrue(child.errorLine().contains("not allowed to write topic sec-bob-out"), child.log());
      assertNoSecretIn(child.log());
    }
  }
}
