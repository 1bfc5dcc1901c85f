package org.streamtagger.trainer.autograd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float matrix products on row-major arrays, always accumulating into {@code c} ({@code c += ...});
 * callers zero or pre-fill it. The three forms are the ones forward and backward passes need
 * without the caller materialising transposes.
 *
 * <p>One register-blocked kernel does the work: 4 rows of C by 2 vectors of columns are kept in 8
 * vector registers while the shared dimension streams by, each step one broadcast of an A value and
 * one fused multiply-add per register (the JDK's Vector API; 16 float lanes on AVX-512). Products
 * large enough to pay for it split their rows of C over {@link Parallel}'s threads.
 */
public final class Gemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int ROWS = 4;
  private static final FloatVector ZERO = FloatVector.zero(S);

  /** LAST_LANES[t]: the mask of the last t lanes of a vector. */
  private static final VectorMask<Float>[] LAST_LANES = lastLaneMasks();

  /** Work (multiply-adds) below which a product stays on the calling thread. */
  private static final long PARALLEL_MIN_WORK = 1L << 21;

  private Gemm() {}

  /** c[M,N] += a[M,K] · b[K,N]. */
  public static void ab(
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k) {
    run(a, aOff, k, 1, b, bOff, c, cOff, m, n, k);
  }

  /** c[M,N] += a[K,M]ᵀ · b[K,N] (sums of outer products of rows: weight gradients). */
  public static void aTb(
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k) {
    run(a, aOff, 1, m, b, bOff, c, cOff, m, n, k);
  }

  /** c[M,N] += a[M,K] · b[N,K]ᵀ (b is transposed once into a scratch array). */
  public static void abT(
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k) {
    float[] bt = transpose(b, bOff, n, k);
    run(a, aOff, k, 1, bt, 0, c, cOff, m, n, k);
  }

  /** The transpose of {@code x[rows, cols]} starting at {@code off}: a new {@code [cols, rows]}. */
  public static float[] transpose(float[] x, int off, int rows, int cols) {
    float[] t = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      int src = off + r * cols;
      for (int col = 0; col < cols; col++) {
        t[col * rows + r] = x[src + col];
      }
    }
    return t;
  }

  /** C += A·B where A(i, p) = a[aOff + i*aRow + p*aCol] and B is row-major [K, N]. */
  private static void run(
      float[] a,
      int aOff,
      int aRow,
      int aCol,
      float[] b,
      int bOff,
      float[] c,
      int cOff,
      int m,
      int n,
      int k) {
    if (m == 0 || n == 0 || k == 0) {
      return;
    }
    long work = (long) m * n * k;
    if (work >= PARALLEL_MIN_WORK && m >= 2 * ROWS && Parallel.threads() > 1) {
      Parallel.forRange(
          m, ROWS, (from, to) -> rows(a, aOff, aRow, aCol, b, bOff, c, cOff, n, k, from, to));
    } else {
      rows(a, aOff, aRow, aCol, b, bOff, c, cOff, n, k, 0, m);
    }
  }

  private static void rows(
      float[] a,
      int aOff,
      int aRow,
      int aCol,
      float[] b,
      int bOff,
      float[] c,
      int cOff,
      int n,
      int k,
      int from,
      int to) {
    int i = from;
    for (; i + ROWS <= to; i += ROWS) {
      block4(a, aOff + i * aRow, aRow, aCol, b, bOff, c, cOff + i * n, n, k);
    }
    for (; i < to; i++) {
      block1(a, aOff + i * aRow, aCol, b, bOff, c, cOff + i * n, n, k);
    }
  }

  /** Four rows of C. */
  private static void block4(
      float[] a, int a0, int aRow, int aCol, float[] b, int bOff, float[] c, int c0, int n, int k) {
    int a1 = a0 + aRow;
    int a2 = a1 + aRow;
    int a3 = a2 + aRow;
    int j = 0;
    for (; j + 2 * L <= n; j += 2 * L) {
      FloatVector c00 = FloatVector.zero(S);
      FloatVector c01 = FloatVector.zero(S);
      FloatVector c10 = FloatVector.zero(S);
      FloatVector c11 = FloatVector.zero(S);
      FloatVector c20 = FloatVector.zero(S);
      FloatVector c21 = FloatVector.zero(S);
      FloatVector c30 = FloatVector.zero(S);
      FloatVector c31 = FloatVector.zero(S);
      for (int p = 0; p < k; p++) {
        int bp = bOff + p * n + j;
        FloatVector b0 = FloatVector.fromArray(S, b, bp);
        FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
        int ap = p * aCol;
        FloatVector x0 = FloatVector.broadcast(S, a[a0 + ap]);
        FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
        FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
        FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
        c00 = b0.fma(x0, c00);
        c01 = b1.fma(x0, c01);
        c10 = b0.fma(x1, c10);
        c11 = b1.fma(x1, c11);
        c20 = b0.fma(x2, c20);
        c21 = b1.fma(x2, c21);
        c30 = b0.fma(x3, c30);
        c31 = b1.fma(x3, c31);
      }
      addInto(c, c0 + j, c00);
      addInto(c, c0 + j + L, c01);
      addInto(c, c0 + n + j, c10);
      addInto(c, c0 + n + j + L, c11);
      addInto(c, c0 + 2 * n + j, c20);
      addInto(c, c0 + 2 * n + j + L, c21);
      addInto(c, c0 + 3 * n + j, c30);
      addInto(c, c0 + 3 * n + j + L, c31);
    }
    for (; j + L <= n; j += L) {
      FloatVector c0v = FloatVector.zero(S);
      FloatVector c1v = FloatVector.zero(S);
      FloatVector c2v = FloatVector.zero(S);
      FloatVector c3v = FloatVector.zero(S);
      for (int p = 0; p < k; p++) {
        FloatVector bv = FloatVector.fromArray(S, b, bOff + p * n + j);
        int ap = p * aCol;
        c0v = bv.fma(FloatVector.broadcast(S, a[a0 + ap]), c0v);
        c1v = bv.fma(FloatVector.broadcast(S, a[a1 + ap]), c1v);
        c2v = bv.fma(FloatVector.broadcast(S, a[a2 + ap]), c2v);
        c3v = bv.fma(FloatVector.broadcast(S, a[a3 + ap]), c3v);
      }
      addInto(c, c0 + j, c0v);
      addInto(c, c0 + n + j, c1v);
      addInto(c, c0 + 2 * n + j, c2v);
      addInto(c, c0 + 3 * n + j, c3v);
    }
    if (j < n) {
      for (int r = 0; r < ROWS; r++) {
        tail(a, a0 + r * aRow, aCol, b, bOff, c, c0 + r * n, n, k, j);
      }
    }
  }

  /** One row of C. */
  private static void block1(
      float[] a, int a0, int aCol, float[] b, int bOff, float[] c, int c0, int n, int k) {
    int j = 0;
    for (; j + L <= n; j += L) {
      FloatVector acc = FloatVector.zero(S);
      for (int p = 0; p < k; p++) {
        FloatVector bv = FloatVector.fromArray(S, b, bOff + p * n + j);
        acc = bv.fma(FloatVector.broadcast(S, a[a0 + p * aCol]), acc);
      }
      addInto(c, c0 + j, acc);
    }
    if (j < n) {
      tail(a, a0, aCol, b, bOff, c, c0, n, k, j);
    }
  }

  /**
   * Columns {@code [j0, n)} of one row of C, fewer than a vector: when the row is at least a vector
   * wide, the last full vector {@code [n-L, n)} is computed and the lanes before {@code j0}
   * (already done) are blended to zero before adding; narrower rows go scalar.
   */
  private static void tail(
      float[] a, int a0, int aCol, float[] b, int bOff, float[] c, int c0, int n, int k, int j0) {
    if (n < L) {
      scalarTail(a, a0, aCol, b, bOff, c, c0, n, k, j0);
      return;
    }
    int start = n - L;
    FloatVector acc = FloatVector.zero(S);
    for (int p = 0; p < k; p++) {
      FloatVector bv = FloatVector.fromArray(S, b, bOff + p * n + start);
      acc = bv.fma(FloatVector.broadcast(S, a[a0 + p * aCol]), acc);
    }
    acc = ZERO.blend(acc, LAST_LANES[n - j0]);
    addInto(c, c0 + start, acc);
  }

  /** Columns {@code [j0, n)} of one row of C, without vectors (narrow matrices, remainders). */
  private static void scalarTail(
      float[] a, int a0, int aCol, float[] b, int bOff, float[] c, int c0, int n, int k, int j0) {
    for (int p = 0; p < k; p++) {
      float av = a[a0 + p * aCol];
      if (av == 0f) {
        continue;
      }
      int bp = bOff + p * n;
      for (int j = j0; j < n; j++) {
        c[c0 + j] += av * b[bp + j];
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static VectorMask<Float>[] lastLaneMasks() {
    VectorMask<Float>[] masks = new VectorMask[L + 1];
    for (int t = 0; t <= L; t++) {
      boolean[] bits = new boolean[L];
      for (int i = L - t; i < L; i++) {
        bits[i] = true;
      }
      masks[t] = VectorMask.fromArray(S, bits, 0);
    }
    return masks;
  }

  private static void addInto(float[] c, int off, FloatVector v) {
    FloatVector.fromArray(S, c, off).add(v).intoArray(c, off);
  }
}
