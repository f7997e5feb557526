package org.vqlab.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Whether an array is stored row-major (libtorch's "contiguous"), for layers that can arrange
 * their views either way. libtorch's convolutions keep the layout of their input: after a
 * quantizer's {@code (B, H, W, D)} rows are viewed back as {@code (B, D, H, W)}, a decoder runs
 * channels-last, and a layer whose backward pass hands its convolution a gradient in the other
 * layout makes libtorch copy it once more.
 *
 * <p>DJL 0.35.1 has the query natively but not in its public API (PyTorchLibrary is package
 * private): it is looked up once, reflectively. Where it is missing (another engine or DJL
 * version) the answer is empty and callers keep their default.
 */
public final class MemoryLayout {
  private static final MethodHandle IS_CONTIGUOUS = lookup();

  private MemoryLayout() {}

  /** Row-major or not; empty when the engine does not say. */
  public static Optional<Boolean> isRowMajor(NDArray x) {
    if (IS_CONTIGUOUS == null || !(x instanceof PtNDArray)) {
      return Optional.empty();
    }
    try {
      return Optional.of((boolean) IS_CONTIGUOUS.invoke(((PtNDArray) x).getHandle()));
    } catch (Throwable e) {
      return Optional.empty();
    }
  }

  private static MethodHandle lookup() {
    try {
      Class<?> library = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
      Field lib = library.getDeclaredField("LIB");
      lib.setAccessible(true);
      Method m = library.getDeclaredMethod("torchIsContiguous", long.class);
      m.setAccessible(true);
      MethodHandle h = MethodHandles.lookup().unreflect(m).bindTo(lib.get(null));
      return h.asType(MethodType.methodType(boolean.class, long.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
