package org.streamtagger.trainer.onnx;

/**
 * IEEE 754 half precision (binary16), as ONNX's {@code FLOAT16} stores it: conversion from float
 * with round-to-nearest-even, and back. Weights that are exactly representable are stored in half
 * the bytes without changing a single value.
 */
public final class Half {
  private Half() {}

  /** The binary16 bits nearest to {@code f} (ties to even; overflow to infinity). */
  public static short bits(float f) {
    int x = Float.floatToRawIntBits(f);
    int sign = (x >>> 16) & 0x8000;
    int exponent = (x >>> 23) & 0xFF;
    int mantissa = x & 0x7FFFFF;
    if (exponent == 0xFF) { // infinity or NaN
      return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
    }
    int e = exponent - 127 + 15; // re-biased exponent
    if (e >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (e <= 0) { // subnormal half, or zero
      if (e < -10) {
        return (short) sign;
      }
      int m = mantissa | 0x800000; // the implicit leading one
      int shift = 14 - e;
      int half = m >> shift;
      int rest = m & ((1 << shift) - 1);
      int midpoint = 1 << (shift - 1);
      if (rest > midpoint || (rest == midpoint && (half & 1) == 1)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = (e << 10) | (mantissa >> 13);
    int rest = mantissa & 0x1FFF;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++; // may carry into the exponent, which is right (up to infinity)
    }
    return (short) (sign | half);
  }

  /** The float value of binary16 bits. */
  public static float toFloat(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float v = mantissa * 0x1p-24f; // subnormal (or zero)
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** {@code f} rounded to the nearest binary16 value. */
  public static float round(float f) {
    return toFloat(bits(f));
  }

  /** Rounds every value to the nearest binary16 value, in place. */
  public static void roundAll(float[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] = round(values[i]);
    }
  }

  /** Whether every value survives a trip through binary16 unchanged. */
  public static boolean exact(float[] values) {
    for (float v : values) {
      if (Float.floatToRawIntBits(round(v)) != Float.floatToRawIntBits(v)) {
        return false;
      }
    }
    return true;
  }
}
