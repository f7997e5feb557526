package org.vqlab.models;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.vqlab.core.config.ConfigError;

/** Checks shared by the model configs and factories. */
public final class ArchitectureChecks {
  private ArchitectureChecks() {}

  public static void positive(String key, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be > 0, got " + value);
    }
  }

  /** The downsampling factor: a power of two >= 2 (one stride-2 convolution per halving). */
  public static void powerOfTwo(String key, int value) {
    if (value < 2 || Integer.bitCount(value) != 1) {
      throw new IllegalArgumentException(key + " must be a power of two >= 2 (2, 4, 8, ...), got "
          + value);
    }
  }

  /**
   * Fails unless both image sides divide by {@code factor}, the coarsest level's downsampling; the
   * message names model.downsample, the size and the factors that would work.
   */
  public static void divisible(Shape imageShape, int downsample, int levels) {
    long h = imageShape.get(imageShape.dimension() - 2);
    long w = imageShape.get(imageShape.dimension() - 1);
    long factor = (long) downsample << (levels - 1);
    if (h % factor == 0 && w % factor == 0) {
      return;
    }
    List<Integer> fits = new ArrayList<>();
    for (int f = 2; ((long) f << (levels - 1)) <= Math.min(h, w); f *= 2) {
      long top = (long) f << (levels - 1);
      if (h % top == 0 && w % top == 0) {
        fits.add(f);
      }
    }
    String what = levels == 1 ? "model.downsample=" + downsample
        : "model.downsample=" + downsample + " with model.levels=" + levels + " (top level at 1/"
            + factor + ")";
    throw new ConfigError(what + " does not divide the image size " + h + " x " + w + " ("
        + h + "/" + factor + " is not an integer); "
        + (fits.isEmpty() ? "no power-of-two model.downsample fits this size"
            : "model.downsample values that fit: " + fits));
  }
}
