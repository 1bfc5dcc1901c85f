package org.streamtagger.tagging.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example of the tagger as a library, compiled and run as it stands there. */
class ReadmeExampleTest {
  @TempDir Path dir;

  /** The first {@code java} block after the README's "In your own Java code" heading. */
  private static String example() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("### In your own Java code");
    assertTrue(section >= 0, "the README has no section on the library");
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    int end = readme.indexOf("```", start);
    return readme.substring(start, end);
  }

  @Test
  void theExampleCompilesAndTags() throws Exception {
    String body = example();
    assertTrue(body.lines().count() <= 10, "5-10 lines:\n" + body);
    Path source = dir.resolve("Example.java");
    Files.writeString(
        source,
        "import org.streamtagger.tagging.inference.*;\nimport java.util.List;\n"
            + "public class Example {\n  public static void main(String[] args) throws Exception {\n"
            + body
            + "  }\n}\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            null,
            errors,
            "-d",
            dir.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            source.toString());
    assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));

    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      loader
          .loadClass("Example")
          .getMethod("main", String[].class)
          .invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(stdout);
    }
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("I/PRON", lines.get(0).split(" ")[0], lines.toString());
    assertTrue(
        lines.get(2).startsWith("n't/PART ") && lines.get(2).endsWith(" [4, 7)"), lines.get(2));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("U.S./PROPN")), lines.toString());
  }
}
