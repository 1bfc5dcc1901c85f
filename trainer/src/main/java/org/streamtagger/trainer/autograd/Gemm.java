package org.streamtagger.trainer.autograd;

/**
 * Float matrix products on row-major arrays, always accumulating into {@code c} ({@code c += ...});
 * callers zero or pre-fill it. The three forms are the ones forward and backward passes need
 * without materialising transposes.
 */
public final class Gemm {
  private Gemm() {}

  /** c[M,N] += a[M,K] · b[N,K]ᵀ (a row times each row of b: both read contiguously). */
  public static void abT(
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k) {
    for (int i = 0; i < m; i++) {
      int ai = aOff + i * k;
      int ci = cOff + i * n;
      for (int j = 0; j < n; j++) {
        int bj = bOff + j * k;
        float s = 0f;
        for (int p = 0; p < k; p++) {
          s += a[ai + p] * b[bj + p];
        }
        c[ci + j] += s;
      }
    }
  }

  /** c[M,N] += a[M,K] · b[K,N]. */
  public static void ab(
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k) {
    for (int i = 0; i < m; i++) {
      int ai = aOff + i * k;
      int ci = cOff + i * n;
      for (int p = 0; p < k; p++) {
        float av = a[ai + p];
        if (av == 0f) {
          continue;
        }
        int bp = bOff + p * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += av * b[bp + j];
        }
      }
    }
  }

  /** c[M,N] += a[K,M]ᵀ · b[K,N] (sums of outer products of rows: weight gradients). */
  public static void aTb(
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k) {
    for (int p = 0; p < k; p++) {
      int ap = aOff + p * m;
      int bp = bOff + p * n;
      for (int i = 0; i < m; i++) {
        float av = a[ap + i];
        if (av == 0f) {
          continue;
        }
        int ci = cOff + i * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += av * b[bp + j];
        }
      }
    }
  }
}
