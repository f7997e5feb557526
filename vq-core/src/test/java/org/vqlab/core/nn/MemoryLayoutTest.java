package org.vqlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemoryLayoutTest {
  @Test
  void tellsARowMajorArrayFromAChannelsLastView() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray nchw = m.zeros(new Shape(2, 3, 4, 5));
      NDArray channelsLast = m.zeros(new Shape(2, 4, 5, 3)).transpose(0, 3, 1, 2);
      assertEquals(Optional.of(true), MemoryLayout.isRowMajor(nchw));
      assertEquals(Optional.of(false), MemoryLayout.isRowMajor(channelsLast));
      // A copy of the view by an element-wise op keeps the view's layout, as libtorch does.
      assertEquals(Optional.of(false), MemoryLayout.isRowMajor(channelsLast.add(1)));
    }
  }
}
