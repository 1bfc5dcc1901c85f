package org.streamtagger.processor.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an announced model can come from: a path, a file: URI, an http URL; and what fails. */
class ModelFetchTest {
  @TempDir Path dir;

  @Test
  void aPathAFileUriAndAnHttpUrl() throws Exception {
    byte[] model = {1, 2, 3, 4, 5};
    Path file = Files.write(dir.resolve("m.onnx"), model);
    assertArrayEquals(model, ModelFetch.fetch(file.toString()));
    assertArrayEquals(model, ModelFetch.fetch(file.toUri().toString()));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/models/m.onnx",
        x -> {
          x.sendResponseHeaders(200, model.length);
          x.getResponseBody().write(model);
          x.close();
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      assertArrayEquals(model, ModelFetch.fetch(base + "/models/m.onnx"));
      IOException missing =
          assertThrows(IOException.class, () -> ModelFetch.fetch(base + "/models/other.onnx"));
      assertTrue(missing.getMessage().contains("answered 404"), missing.getMessage());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void whatCannotBeFetchedSaysWhy() {
    IOException none =
        assertThrows(
            IOException.class, () -> ModelFetch.fetch(dir.resolve("none.onnx").toString()));
    assertTrue(none.getMessage().startsWith("no such file: "), none.getMessage());
    IOException folder = assertThrows(IOException.class, () -> ModelFetch.fetch(dir.toString()));
    assertTrue(folder.getMessage().startsWith("no such file: "), folder.getMessage());
    IOException closed =
        assertThrows(IOException.class, () -> ModelFetch.fetch("http://127.0.0.1:1/m.onnx"));
    assertTrue(
        closed.getMessage().startsWith("GET http://127.0.0.1:1/m.onnx failed: java.net."),
        closed.getMessage());
  }
}
