package org.streamtagger.processor.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelAnnouncementTest {
  private static final String SHA = "ab".repeat(32);

  @Test
  void readsBackWhatItWrites() {
    ModelAnnouncement a =
        new ModelAnnouncement("file:/m/x.onnx", "ewt-upos", "2", SHA.toUpperCase());
    ModelAnnouncement back = ModelAnnouncement.parse(a.toJson());
    assertEquals(a, back);
    assertEquals(SHA, back.sha256());
    assertEquals("ewt-upos:2", back.label());
  }

  @Test
  void whatIsNotAnAnnouncementIsRefusedWithTheReason() {
    assertRefused("", "no value");
    assertRefused("\u0000\u0001garbage", "not JSON");
    assertRefused("[1,2]", "not a JSON object");
    assertRefused(
        "{\"name\":\"m\",\"version\":\"1\",\"sha256\":\"" + SHA + "\"}", "location is missing");
    assertRefused(
        "{\"location\":\"/m\",\"name\":\"m\",\"version\":\"1\",\"sha256\":\"abc\"}",
        "sha256 must be 64 hexadecimal digits");
    assertRefused(
        "{\"location\":\"/m\",\"name\":\"a:b\",\"version\":\"1\",\"sha256\":\"" + SHA + "\"}",
        "name must be");
    assertRefused(
        "{\"location\":\"/m\",\"name\":\"m\",\"version\":2,\"sha256\":\"" + SHA + "\"}",
        "version must be a string");
    assertRefused(
        "{\"location\":\"/m\",\"location\":\"/n\",\"name\":\"m\",\"version\":\"1\",\"sha256\":\""
            + SHA
            + "\"}",
        "not JSON");
  }

  private static void assertRefused(String value, String why) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelAnnouncement.parse(value.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("not a model announcement"), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }
}
