package org.vqlab.eval.metrics;

/** {@code eval.reconstruction}. */
public record ReconstructionConfig(int gridItems) {
  public ReconstructionConfig {
    if (gridItems < 1) {
      throw new IllegalArgumentException("eval.reconstruction.grid_items must be >= 1, got "
          + gridItems);
    }
  }
}
