package org.vqlab.core.prior;

/**
 * What a prior factory needs besides its section: the code grid it models, the grid of the level
 * above when it is conditioned on one (0 otherwise), how many such grids it is conditioned on
 * (G: 1 for a level above, s for stage s + 1 of a residual level; they share K and the grid), and
 * the number of classes (0 for none).
 */
public record PriorContext(int numCodes, int height, int width, int upperNumCodes, int upperHeight,
    int upperWidth, int numClasses, int upperGrids) {

  public PriorContext {
    if (upperGrids < 0 || (upperGrids == 0) != (upperNumCodes == 0)) {
      throw new IllegalArgumentException("upper grids " + upperGrids + " with upper K "
          + upperNumCodes + ": a prior is conditioned on G >= 1 grids of K >= 1 codes, or on none");
    }
  }

  /** Conditioned on one grid above (when upperNumCodes > 0) or none. */
  public PriorContext(int numCodes, int height, int width, int upperNumCodes, int upperHeight,
      int upperWidth, int numClasses) {
    this(numCodes, height, width, upperNumCodes, upperHeight, upperWidth, numClasses,
        upperNumCodes > 0 ? 1 : 0);
  }
}
