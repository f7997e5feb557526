package org.vqlab.core.data;

/**
 * SplitMix64's finaliser, used to derive independent seeds from (seed, epoch, index) tuples so that
 * every random draw of the data pipeline is a pure function of its coordinates, not of call order.
 */
public final class SplitMix64 {
  private SplitMix64() {}

  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  public static long mix(long... values) {
    long h = 0x9e3779b97f4a7c15L;
    for (long v : values) {
      h = mix(h + v * 0x9e3779b97f4a7c15L + 0x632be59bd9b4e019L);
    }
    return h;
  }
}
