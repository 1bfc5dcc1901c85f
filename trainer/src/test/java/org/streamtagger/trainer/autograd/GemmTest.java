package org.streamtagger.trainer.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vectorised kernel against a plain triple loop, at sizes with every kind of remainder. */
class GemmTest {

  @AfterEach
  void singleThreaded() {
    Parallel.setThreads(1);
  }

  private static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return x;
  }

  /** c[i,j] + Σ_p A(i,p)·B(p,j) with explicit index functions, in double. */
  private static double naive(
      float[] c, float[] a, float[] b, int i, int j, int n, int k, String form, int m) {
    double s = c[i * n + j];
    for (int p = 0; p < k; p++) {
      float av =
          switch (form) {
            case "aTb" -> a[p * m + i];
            default -> a[i * k + p];
          };
      float bv =
          switch (form) {
            case "abT" -> b[j * k + p];
            default -> b[p * n + j];
          };
      s += (double) av * bv;
    }
    return s;
  }

  @ParameterizedTest
  @CsvSource({
    "1,1,1,1",
    "3,5,7,1",
    "4,32,16,1",
    "7,33,9,1",
    "9,47,130,1",
    "64,512,164,2",
    "37,70,129,2"
  })
  void allThreeFormsMatchATripleLoop(int m, int n, int k, int threads) {
    Parallel.setThreads(threads);
    for (String form : new String[] {"ab", "aTb", "abT"}) {
      float[] a = random(m * k, 1);
      float[] b = random(k * n, 2);
      float[] c = random(m * n, 3);
      float[] expected = c.clone();
      double[] want = new double[m * n];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          want[i * n + j] = naive(expected, a, b, i, j, n, k, form, m);
        }
      }
      switch (form) {
        case "ab" -> Gemm.ab(a, 0, b, 0, c, 0, m, n, k);
        case "aTb" -> Gemm.aTb(a, 0, b, 0, c, 0, m, n, k);
        default -> Gemm.abT(a, 0, b, 0, c, 0, m, n, k);
      }
      for (int i = 0; i < m * n; i++) {
        assertEquals(want[i], c[i], 1e-4 * Math.max(1, Math.abs(want[i])), form + " at " + i);
      }
    }
  }

  @Test
  void offsetsAreHonoured() {
    float[] a = {9, 9, 1, 2, 3, 4}; // a starts at 2: [[1,2],[3,4]]
    float[] b = {9, 5, 6, 7, 8}; // b starts at 1: [[5,6],[7,8]]
    float[] c = {9, 9, 9, 0, 0, 0, 0};
    Gemm.ab(a, 2, b, 1, c, 3, 2, 2, 2);
    assertEquals(19f, c[3]);
    assertEquals(22f, c[4]);
    assertEquals(43f, c[5]);
    assertEquals(50f, c[6]);
    assertEquals(9f, c[2]);
  }
}
