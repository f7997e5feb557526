package org.vqlab.core.quantizer;

/** What FSQ puts in front of its bound ({@code scale} key of {@code quantizer = fsq}). */
public enum FsqScale {
  /**
   * A learned per-channel map (z - b) * s, initialised on the first training batch so that each
   * channel has mean 0 and standard deviation 1 there (as ActNorm, Kingma and Dhariwal 2018).
   */
  DATA,
  /** The paper's FSQ: the bound sees z as it is. */
  NONE
}
