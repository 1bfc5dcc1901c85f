package org.streamtagger.trainer.autograd;

import java.util.Arrays;

/**
 * A dense row-major float tensor with an optional gradient of the same shape.
 *
 * <p>A tensor that requires a gradient owns a {@code grad} array from birth, so views share it.
 * Parameters that are only ever read by row (embedding tables) can track the rows their gradient
 * touched, so that zeroing and SGD updates cost what a step used, not the table's size.
 */
public final class Tensor {
  public final float[] data;
  public final float[] grad;
  private final int[] shape;
  private final RowSet touchedRows;

  private Tensor(float[] data, float[] grad, int[] shape, RowSet touchedRows) {
    this.data = data;
    this.grad = grad;
    this.shape = shape;
    this.touchedRows = touchedRows;
  }

  /** A constant (no gradient) with the given values; {@code data} is used, not copied. */
  public static Tensor of(float[] data, int... shape) {
    checkSize(data.length, shape);
    return new Tensor(data, null, shape.clone(), null);
  }

  /** A constant of zeros. */
  public static Tensor zeros(int... shape) {
    return new Tensor(new float[sizeOf(shape)], null, shape.clone(), null);
  }

  /** A trainable parameter of zeros with a dense gradient. */
  public static Tensor parameter(int... shape) {
    int n = sizeOf(shape);
    return new Tensor(new float[n], new float[n], shape.clone(), null);
  }

  /**
   * A trainable 2-D table whose gradient is written row by row (an embedding table): the rows
   * touched since the last {@link #zeroGrad()} are tracked.
   */
  public static Tensor rowSparseParameter(int rows, int cols) {
    int n = rows * cols;
    return new Tensor(new float[n], new float[n], new int[] {rows, cols}, new RowSet(rows));
  }

  /** The result of an op: it has a gradient when any input of the op has one. */
  static Tensor result(boolean requiresGrad, int... shape) {
    int n = sizeOf(shape);
    return new Tensor(new float[n], requiresGrad ? new float[n] : null, shape, null);
  }

  /** The same data and gradient seen with another shape of the same size. */
  public Tensor view(int... newShape) {
    checkSize(data.length, newShape);
    return new Tensor(data, grad, newShape.clone(), touchedRows);
  }

  public boolean requiresGrad() {
    return grad != null;
  }

  public int size() {
    return data.length;
  }

  public int rank() {
    return shape.length;
  }

  /** Extent of dimension {@code i}; negative counts from the end. */
  public int dim(int i) {
    return shape[i < 0 ? shape.length + i : i];
  }

  public int[] shape() {
    return shape.clone();
  }

  /** Whether this table tracks the rows its gradient touched. */
  public boolean isRowSparse() {
    return touchedRows != null;
  }

  /** The rows touched since the last {@link #zeroGrad()}, for a row-sparse table. */
  public RowSet touchedRows() {
    return touchedRows;
  }

  /** Sets the gradient to zero (only the touched rows for a row-sparse table). */
  public void zeroGrad() {
    if (grad == null) {
      return;
    }
    if (touchedRows == null) {
      Arrays.fill(grad, 0f);
      return;
    }
    int cols = shape[1];
    for (int i = 0; i < touchedRows.size(); i++) {
      int r = touchedRows.get(i);
      Arrays.fill(grad, r * cols, (r + 1) * cols, 0f);
    }
    touchedRows.clear();
  }

  /** The value at a multi-dimensional index. */
  public float get(int... index) {
    return data[offset(index)];
  }

  /** Flat offset of a multi-dimensional index. */
  public int offset(int... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "index of rank " + index.length + " for a tensor of shape " + Arrays.toString(shape));
    }
    int off = 0;
    for (int i = 0; i < shape.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IndexOutOfBoundsException(
            "index " + Arrays.toString(index) + " outside shape " + Arrays.toString(shape));
      }
      off = off * shape[i] + index[i];
    }
    return off;
  }

  /** Copies the values of {@code other} (same size) into this tensor. */
  public void copyFrom(Tensor other) {
    if (other.size() != size()) {
      throw new IllegalArgumentException(
          "cannot copy " + other.describeShape() + " into " + describeShape());
    }
    System.arraycopy(other.data, 0, data, 0, data.length);
  }

  public String describeShape() {
    return Arrays.toString(shape);
  }

  @Override
  public String toString() {
    return "Tensor" + describeShape();
  }

  static int sizeOf(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
    }
    return (int) n;
  }

  private static void checkSize(int length, int[] shape) {
    if (sizeOf(shape) != length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " does not hold " + length + " values");
    }
  }
}
