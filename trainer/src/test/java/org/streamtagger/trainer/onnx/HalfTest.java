package org.streamtagger.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfTest {
  @Test
  void knownValuesHaveTheirBinary16Bits() {
    assertEquals(0x3C00, Half.bits(1f) & 0xFFFF);
    assertEquals(0xC000, Half.bits(-2f) & 0xFFFF);
    assertEquals(0x7BFF, Half.bits(65504f) & 0xFFFF); // largest finite
    assertEquals(0x7C00, Half.bits(65520f) & 0xFFFF); // rounds up to infinity
    assertEquals(0x0400, Half.bits(0x1p-14f) & 0xFFFF); // smallest normal
    assertEquals(0x0001, Half.bits(0x1p-24f) & 0xFFFF); // smallest subnormal
    assertEquals(0x0000, Half.bits(0x1p-26f) & 0xFFFF); // below half of it: zero
    assertEquals(0x3555, Half.bits(1f / 3) & 0xFFFF);
  }

  @Test
  void tiesRoundToEven() {
    assertEquals(1f, Half.round(1f + 0x1p-11f)); // halfway between 1 and 1 + 2^-10: even is 1
    assertEquals(1f + 0x1p-9f, Half.round(1f + 3 * 0x1p-11f)); // halfway: up to the even one
    assertEquals(1f + 0x1p-10f, Half.round(1f + 0x1p-11f + 0x1p-20f)); // past halfway: up
  }

  @Test
  void everyBinary16ValueRoundTripsAndRoundingIsNearest() {
    for (int h = 0; h < 0x10000; h++) {
      float f = Half.toFloat((short) h);
      if (!Float.isNaN(f)) {
        assertEquals(h, Half.bits(f) & 0xFFFF, "bits " + Integer.toHexString(h));
      }
    }
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 100_000; i++) {
      float f = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-6, 4)));
      float r = Half.round(f);
      // No binary16 neighbour of r is closer to f.
      short b = Half.bits(f);
      for (int d : new int[] {-1, 1}) {
        float neighbour = Half.toFloat((short) (b + d));
        if (!Float.isInfinite(neighbour) && Math.signum(neighbour) == Math.signum(r)) {
          assertTrue(Math.abs(neighbour - f) >= Math.abs(r - f), f + " -> " + r);
        }
      }
    }
  }

  @Test
  void exactTellsRoundedArraysApart() {
    assertTrue(Half.exact(new float[] {0f, 1f, -0.5f, 1024f}));
    assertFalse(Half.exact(new float[] {0f, 0.1f}));
    assertTrue(Half.exact(new float[] {Half.round(0.1f)}));
  }
}
