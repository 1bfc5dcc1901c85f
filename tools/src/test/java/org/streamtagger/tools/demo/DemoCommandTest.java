package org.streamtagger.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
  /**
   * A line too long to tag comes back as a dead letter, printed with its kind and the line it came
   * from, and the demo still finishes with the other lines tagged: it does not wait out its
   * timeout.
   */
  @Test
  void printsDeadLettersAsTheyArriveAndFinishes() throws Exception {
    String huge = "word ".repeat(20_000).trim();
    String stdin = "The dog ate the apple.\n" + huge + "\nCats sleep.\n";
    InputStream oldIn = System.in;
    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int exit;
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      exit = new CommandLine(new DemoCommand()).execute("--stdin", "--timeout", "120");
    } finally {
      System.setIn(oldIn);
      System.setOut(oldOut);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String printed = out.toString(StandardCharsets.UTF_8);
    System.out.printf(
        "demo with a 20,000-word line: exit %d after %.1f s%n%s", exit, seconds, printed);
    assertEquals(0, exit);
    List<String> lines = printed.lines().toList();
    assertEquals(3, lines.size(), printed);
    assertTrue(
        lines.contains("demo-1: The/DET dog/NOUN ate/VERB the/DET apple/NOUN ./PUNCT"), printed);
    String dead = lines.stream().filter(l -> l.startsWith("demo-2:")).findFirst().orElseThrow();
    assertTrue(dead.startsWith("demo-2: dead letter TOO_LARGE: "), dead);
    assertTrue(dead.endsWith("(line 2: \"" + huge.substring(0, 60) + "...\")"), dead);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("demo-3: Cats/")), printed);
  }
}
