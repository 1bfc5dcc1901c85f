package org.streamtagger.processor.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Replays every input the fuzzer kept, without its instrumentation, and holds each record to the
 * real bounds on time and memory: the kept regression inputs, and the corpus of the last fuzzing
 * run in this module ({@code .cifuzz-corpus}: the inputs that each reached code no earlier input
 * did). Runs after {@link RecordTaggerFuzzTest} in {@code mvn verify}, in a JVM of its own, and
 * prints the slowest record and the one that took the most memory.
 */
class RecordTaggerFuzzReplayTest {
  /**
   * Per record, on a loaded CI machine: generous, since the model call alone takes milliseconds.
   */
  static final long MAX_MILLIS = 2_000;

  /** Per record (heap allocated on the record's thread); the largest record is 64 KiB. */
  static final long MAX_ALLOCATED_BYTES = 32L << 20;

  private static final Path KEPT =
      Path.of(
          "src/test/resources/org/streamtagger/processor/topology/RecordTaggerFuzzTestInputs"
              + "/everyRecordEndsTaggedOrDeadLettered");
  private static final Path CORPUS =
      Path.of(
          ".cifuzz-corpus/org.streamtagger.processor.topology.RecordTaggerFuzzTest"
              + "/everyRecordEndsTaggedOrDeadLettered");

  @Test
  void everyKeptInputEndsTaggedOrDeadLetteredWithinTheBounds() throws Exception {
    List<Path> inputs = new ArrayList<>(files(KEPT));
    int kept = inputs.size();
    assertTrue(kept >= 20, "the kept inputs are missing: " + kept + " in " + KEPT.toAbsolutePath());
    inputs.addAll(files(CORPUS));
    RecordHarness.Measured slowest = null;
    RecordHarness.Measured hungriest = null;
    try (RecordHarness harness = new RecordHarness()) {
      for (Path input : inputs) {
        RecordHarness.Measured m;
        try {
          m = harness.run(Files.readAllBytes(input));
        } catch (Throwable e) {
          throw new AssertionError(input + ": " + e, e);
        }
        if (m == null) {
          continue;
        }
        String name = input.getFileName().toString();
        m = new RecordHarness.Measured(name + ": " + m.what(), m.nanos(), m.bytes());
        if (slowest == null || m.nanos() > slowest.nanos()) {
          slowest = m;
        }
        if (hungriest == null || m.bytes() > hungriest.bytes()) {
          hungriest = m;
        }
        RecordHarness.Measured measured = m;
        assertTrue(m.nanos() / 1_000_000 <= MAX_MILLIS, () -> measured + ": too slow");
        assertTrue(m.bytes() <= MAX_ALLOCATED_BYTES, () -> measured + ": too much memory");
      }
    }
    System.out.printf(
        "record fuzzing replay: %d inputs (%d kept, %d from the last fuzzing run's corpus);"
            + " slowest %s; most memory %s%n",
        inputs.size(), kept, inputs.size() - kept, describeTime(slowest), describeBytes(hungriest));
  }

  private static List<Path> files(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  static String describeTime(RecordHarness.Measured m) {
    return m == null ? "-" : String.format("%.1f ms (%s)", m.nanos() / 1e6, m.what());
  }

  static String describeBytes(RecordHarness.Measured m) {
    return m == null ? "-" : String.format("%.1f MB allocated (%s)", m.bytes() / 1e6, m.what());
  }
}
