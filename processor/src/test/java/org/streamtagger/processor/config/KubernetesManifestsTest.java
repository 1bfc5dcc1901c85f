package org.streamtagger.processor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests in {@code deploy/kubernetes} say what the processor understands: the ConfigMap's
 * properties file and the StatefulSet's variables load as a configuration (every key known, every
 * value valid), the probes ask the health endpoints on the port the configuration serves them on,
 * each pod's name is its static group membership, and the grace period covers a clean stop. Then
 * every object is checked against the Kubernetes API schema of its kind with Node.js ({@code
 * validate.mjs}), where Node.js and the validator's modules are installed ({@code .ci/run} installs
 * them); elsewhere that part is skipped.
 */
class KubernetesManifestsTest {
  private static final Path DIR = Path.of("..", "deploy", "kubernetes");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static Map<String, JsonNode> objectsByKind() throws IOException {
    Map<String, JsonNode> byKind = new HashMap<>();
    try (var files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
          while (docs.hasNext()) {
            JsonNode o = docs.next();
            byKind.put(o.path("kind").asText(), o);
          }
        }
      }
    }
    return byKind;
  }

  @Test
  void theConfigurationTheManifestsGiveLoadsAndTheProbesMatchIt(@TempDir Path scratch)
      throws Exception {
    Map<String, JsonNode> objects = objectsByKind();
    JsonNode set = objects.get("StatefulSet");
    JsonNode pod = set.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);

    Path properties = scratch.resolve("processor.properties");
    Files.writeString(
        properties,
        objects.get("ConfigMap").path("data").path("processor.properties").asText(),
        StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>();
    for (JsonNode e : container.path("env")) {
      JsonNode from = e.path("valueFrom");
      String value =
          e.has("value")
              ? e.path("value").asText()
              : from.has("secretKeyRef")
                  ? "org.apache.kafka.common.security.scram.ScramLoginModule required;"
                  : "tagger-0";
      env.put(e.path("name").asText(), value);
    }
    ProcessorConfig config = ProcessorConfig.load(properties, env);

    assertEquals(
        List.of("--config", "/etc/tagger/processor.properties"), texts(container.path("args")));
    assertEquals("metadata.name", container.at("/env/0/valueFrom/fieldRef/fieldPath").asText());
    assertEquals("tagger-0", config.get("group.instance.id"));
    assertEquals("exactly_once_v2", config.get("processing.guarantee"));
    assertEquals("****", masked(config, "sasl.jaas.config"));
    int port = container.at("/ports/0/containerPort").asInt();
    assertEquals(config.httpPort(), port, "the container port is the one the health endpoints use");
    assertEquals("/health/ready", container.at("/readinessProbe/httpGet/path").asText());
    assertEquals("/health/live", container.at("/livenessProbe/httpGet/path").asText());
    assertEquals("/health/live", container.at("/startupProbe/httpGet/path").asText());
    // A clean stop: the batches waiting (10 s at most), then Kafka Streams' close (30 s at most).
    assertTrue(pod.path("terminationGracePeriodSeconds").asInt() >= 40);
    assertEquals(set.at("/spec/selector/matchLabels"), set.at("/spec/template/metadata/labels"));
    assertEquals(
        set.at("/spec/serviceName").asText(), objects.get("Service").at("/metadata/name").asText());
    // The volumes the container mounts exist, and so do the ConfigMap and Secret they name.
    List<String> volumes = new ArrayList<>();
    pod.path("volumes").forEach(v -> volumes.add(v.path("name").asText()));
    container
        .path("volumeMounts")
        .forEach(m -> assertTrue(volumes.contains(m.path("name").asText()), m.toString()));
    assertEquals(
        objects.get("ConfigMap").at("/metadata/name").asText(),
        pod.at("/volumes/0/configMap/name").asText());
    assertEquals(
        objects.get("Secret").at("/metadata/name").asText(),
        container.at("/env/1/valueFrom/secretKeyRef/name").asText());
  }

  @Test
  void everyObjectMatchesTheKubernetesSchemaOfItsKind() throws Exception {
    Path validator = DIR.resolve("validate");
    assumeTrue(
        Files.isDirectory(validator.resolve("node_modules").resolve("kubernetes-models")),
        "the validator's modules are not installed (npm ci --prefix deploy/kubernetes/validate)");
    Process node;
    try {
      node =
          new ProcessBuilder("node", validator.resolve("validate.mjs").toString(), DIR.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      assumeTrue(false, "no node on the PATH: " + e.getMessage());
      return;
    }
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(node.waitFor(60, TimeUnit.SECONDS), "validate.mjs did not finish");
    System.out.print(out);
    assertEquals(0, node.exitValue(), out);
    for (String kind :
        List.of("ConfigMap", "Secret", "Service", "StatefulSet", "PodDisruptionBudget")) {
      assertTrue(out.contains("ok ") && out.contains(kind), kind + " checked:\n" + out);
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String masked(ProcessorConfig config, String key) {
    for (String line : config.printable().split("\n")) {
      if (line.startsWith(key + "=")) {
        return line.substring(key.length() + 1, line.indexOf(' '));
      }
    }
    return null;
  }
}
