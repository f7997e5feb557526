package org.vqlab.core.engine;

/**
 * The {@code engine} section. {@code offline}: DJL never downloads (default true). {@code nativeLibrary}:
 * {@code bundled} uses the CPU libtorch jar on the classpath; {@code auto} leaves it off so DJL picks
 * {@code PYTORCH_LIBRARY_PATH} or downloads a (CUDA) build (the {@code ./vq} launcher acts on it).
 * Thread counts of 0 leave PyTorch's defaults.
 */
public record EngineConfig(boolean offline, String nativeLibrary, int numThreads, int numInteropThreads) {
  public EngineConfig {
    if (!nativeLibrary.equals("bundled") && !nativeLibrary.equals("auto")) {
      throw new IllegalArgumentException("engine.native_library must be 'bundled' or 'auto', got '"
          + nativeLibrary + "'");
    }
    if (numThreads < 0 || numInteropThreads < 0) {
      throw new IllegalArgumentException("engine thread counts must be >= 0 (0 = PyTorch's default)");
    }
  }
}
