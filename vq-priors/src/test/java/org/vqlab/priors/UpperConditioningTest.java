package org.vqlab.priors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.vqlab.core.nn.MemoryLayout;

class UpperConditioningTest {

  private static NDArray conv(NDArray x, NDArray w, NDArray b, int pad) {
    return Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1)).singletonOrThrow();
  }

  /**
   * The map is the formula (embedding, low convolutions, each cell repeated ratio x ratio times,
   * high convolution, projection) and it stays channels-last, the layout of the gated stacks its
   * biases feed (see maps).
   */
  @Test
  void mapsFollowTheFormulaAndStayChannelsLast() {
    try (NDManager m = NDManager.newBaseManager()) {
      UpperConditioning block = new UpperConditioning(8, 1, 6, 1, 2, 2, 10);
      block.initialize(m, DataType.FLOAT32, new Shape(2, 3, 3));
      NDArray codes = m.randomInteger(0, 8, new Shape(2, 3, 3), DataType.INT64);
      NDArray out = block.maps(new ParameterStore(m, false), codes, false);
      assertEquals(new Shape(2, 10, 6, 6), out.getShape());
      assertEquals(false, MemoryLayout.isRowMajor(out).orElseThrow(),
          "the conditioning map should stay channels-last");
      // The formula with the block's own parameters, upsampled along H and W of (B, C, h, w).
      java.util.function.Function<String, NDArray> p = name -> block.getParameters().stream()
          .filter(e -> e.getKey().endsWith(name)).findFirst().orElseThrow().getValue().getArray();
      NDArray e = p.apply("embedding_weight").get(codes).transpose(0, 3, 1, 2);
      e = Activation.relu(conv(e, p.apply("low_0_weight"), p.apply("low_0_bias"), 1));
      e = e.repeat(2, 2).repeat(3, 2);
      e = Activation.relu(conv(e, p.apply("high_weight"), p.apply("high_bias"), 1));
      NDArray ref = conv(e, p.apply("projection_weight"), p.apply("projection_bias"), 0);
      assertArrayEquals(ref.toFloatArray(), out.toFloatArray(), 1e-5f);
    }
  }
}
