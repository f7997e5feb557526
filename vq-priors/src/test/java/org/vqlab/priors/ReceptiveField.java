package org.vqlab.priors;

/**
 * The receptive field the gated PixelCNN's causality tests expect, written from the definition
 * independently of the network: position (r, c) sees rows r - 1 - reach .. r - 1 within reach
 * columns either side, and row r up to reach columns to its left.
 */
final class ReceptiveField {
  private ReceptiveField() {}

  static boolean contains(int r, int c, int qr, int qc, int reach) {
    if (qr == r) {
      return qc < c && qc >= c - reach;
    }
    return qr < r && qr >= r - 1 - reach && Math.abs(qc - c) <= reach;
  }

  /** Pairs (position, earlier position in its field) on an h x w grid. */
  static int dependencies(int h, int w, int reach) {
    int n = 0;
    for (int p = 0; p < h * w; p++) {
      for (int q = 0; q < h * w; q++) {
        n += contains(p / w, p % w, q / w, q % w, reach) ? 1 : 0;
      }
    }
    return n;
  }
}
