package org.streamtagger.processor.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing (Jazzer) of everything a record goes through ({@link RecordHarness}):
 * every input must come out as one tagged sentence or one dead letter. {@code mvn verify} fuzzes
 * for a minute ({@code -Dfuzz.duration=10m} for longer) after replaying the inputs kept in {@code
 * RecordTaggerFuzzTestInputs/everyRecordEndsTaggedOrDeadLettered}: the poison records that once
 * stopped the stream, and each input the fuzzer found failing (it adds them there).
 *
 * <p>The bounds here are loose: the fuzzer's instrumentation and hooks run on the record's thread
 * and inflate its time and allocations many times over, so they only catch work out of all
 * proportion (a length prefix believed, a pattern that backtracks). {@link
 * RecordTaggerFuzzReplayTest} replays everything the fuzzer kept without instrumentation and holds
 * each record to the real bounds.
 */
class RecordTaggerFuzzTest {
  static final long MAX_MILLIS = 10_000;
  static final long MAX_ALLOCATED_BYTES = 512L << 20;

  private static RecordHarness harness;
  private static long executions;
  private static long started;
  private static RecordHarness.Measured slowest;
  private static RecordHarness.Measured hungriest;

  @BeforeAll
  static void load() throws Exception {
    harness = new RecordHarness();
    started = System.nanoTime();
  }

  @AfterAll
  static void report() {
    System.out.printf(
        "record fuzzing (instrumented): %d executions in %.0f s; slowest %s; most memory %s%n",
        executions,
        (System.nanoTime() - started) / 1e9,
        RecordTaggerFuzzReplayTest.describeTime(slowest),
        RecordTaggerFuzzReplayTest.describeBytes(hungriest));
    harness.close();
  }

  @FuzzTest
  void everyRecordEndsTaggedOrDeadLettered(byte[] input) throws Exception {
    RecordHarness.Measured m = harness.run(input);
    if (m == null) {
      return;
    }
    executions++;
    if (slowest == null || m.nanos() > slowest.nanos()) {
      slowest = m;
    }
    if (hungriest == null || m.bytes() > hungriest.bytes()) {
      hungriest = m;
    }
    assertTrue(m.nanos() / 1_000_000 <= MAX_MILLIS, () -> m + ": too slow");
    assertTrue(m.bytes() <= MAX_ALLOCATED_BYTES, () -> m + ": too much memory");
  }
}
