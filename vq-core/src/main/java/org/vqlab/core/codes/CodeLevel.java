package org.vqlab.core.codes;

/**
 * One level of a code store: its name ({@code top}, {@code bottom}, {@code bottom_stage2}, ...),
 * codebook size and grid, and its stage: 0 for a level of single codes and for stage 1 of a
 * residual level, s for stage s + 1 (whose prior is conditioned on the s stages before it).
 * Codes are stored in 2 bytes when {@code numCodes <= 65536}, else 4.
 */
public record CodeLevel(String name, int numCodes, int height, int width, int stage) {
  public CodeLevel {
    if (name == null || name.isBlank() || numCodes < 1 || height < 1 || width < 1 || stage < 0) {
      throw new IllegalArgumentException("a code level needs a name, K >= 1, a grid of at least"
          + " 1 x 1 and a stage >= 0, got " + name + " K=" + numCodes + " " + height + "x" + width
          + " stage " + stage);
    }
  }

  /** A level of single codes (stage 0). */
  public CodeLevel(String name, int numCodes, int height, int width) {
    this(name, numCodes, height, width, 0);
  }

  /** The stages of {@code levels}, in order. */
  public static java.util.List<Integer> stages(java.util.List<CodeLevel> levels) {
    return levels.stream().map(CodeLevel::stage).toList();
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
