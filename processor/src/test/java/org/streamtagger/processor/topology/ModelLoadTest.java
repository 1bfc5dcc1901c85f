package org.streamtagger.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelLoadTest {
  private static final long MS = 1_000_000;

  @Test
  void aCallAsLongAsTheTimeConstantWeighsOneMinusOneOverE() {
    ModelLoad load = new ModelLoad(0);
    load.called(0, 500 * MS);
    assertEquals(1 - Math.exp(-1), load.share(500 * MS), 1e-9);
    // Idle for another time constant: the share decays by e.
    assertEquals((1 - Math.exp(-1)) * Math.exp(-1), load.share(1000 * MS), 1e-9);
  }

  @Test
  void theShareSettlesAtTheFractionOfTimeSpentInCalls() {
    ModelLoad load = new ModelLoad(0);
    long t = 0;
    for (int i = 0; i < 1000; i++) { // 8 ms in a call, then 2 ms of Kafka work, for 10 s
      load.called(t, t + 8 * MS);
      t += 10 * MS;
    }
    assertEquals(0.8, load.share(t), 0.02);
    assertTrue(load.busy(t, 0.7));
    assertFalse(load.busy(t, 0.9));
    assertFalse(load.busy(t, 1), "1 turns the rule off");
  }

  @Test
  void shortCallsFarApartAreNotBusy() {
    ModelLoad load = new ModelLoad(0);
    long t = 0;
    for (int i = 0; i < 100; i++) { // 1 ms every 20 ms
      load.called(t, t + MS);
      t += 20 * MS;
    }
    assertEquals(0.05, load.share(t), 0.02);
    assertFalse(load.busy(t, 0.1));
  }
}
