package org.vqlab.core.codes;

/**
 * One level of a code store: its name ({@code top}, {@code bottom}, ...), codebook size and grid.
 * Codes are stored in 2 bytes when {@code numCodes <= 65536}, else 4.
 */
public record CodeLevel(String name, int numCodes, int height, int width) {
  public CodeLevel {
    if (name == null || name.isBlank() || numCodes < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException("a code level needs a name, K >= 1 and a grid of at least"
          + " 1 x 1, got " + name + " K=" + numCodes + " " + height + "x" + width);
    }
  }

  /** Bytes of one code: 2 up to K = 65536, else 4. */
  public int bytesPerCode() {
    return numCodes <= 65536 ? 2 : 4;
  }

  /** Codes of one item: frames x height x width. */
  public long codesPerItem(int frames) {
    return (long) frames * height * width;
  }
}
