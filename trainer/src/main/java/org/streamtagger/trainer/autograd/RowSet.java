package org.streamtagger.trainer.autograd;

import java.util.Arrays;

/** A set of row indices of a table, in insertion order, with O(1) add and clear-by-members. */
public final class RowSet {
  private final boolean[] member;
  private int[] rows = new int[16];
  private int size;

  RowSet(int capacity) {
    member = new boolean[capacity];
  }

  /** Adds a row; adding it again does nothing. */
  public void add(int row) {
    if (member[row]) {
      return;
    }
    member[row] = true;
    if (size == rows.length) {
      rows = Arrays.copyOf(rows, size * 2);
    }
    rows[size++] = row;
  }

  public int size() {
    return size;
  }

  public int get(int i) {
    return rows[i];
  }

  public boolean contains(int row) {
    return member[row];
  }

  void clear() {
    for (int i = 0; i < size; i++) {
      member[rows[i]] = false;
    }
    size = 0;
  }
}
