package org.vqlab.core.prior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which grids a code grid's prior is conditioned on, and how they are given to it. */
class PriorConditionTest {

  @Test
  void aStageSeesTheStagesBeforeItAndALevelsFirstGridEveryGridOfTheLevelAbove() {
    // top: 3 residual stages; bottom: 2 stages; then a level of single codes.
    List<Integer> stages = List.of(0, 1, 2, 0, 1, 0);
    int[][] expected = {{0, 0}, {0, 1}, {0, 2}, {0, 3}, {3, 4}, {3, 5}};
    for (int g = 0; g < stages.size(); g++) {
      assertArrayEquals(expected[g], PriorCondition.conditioningGrids(stages, g), "grid " + g);
    }
    // Single codes: the level just above, as VQ-VAE-2.
    List<Integer> single = List.of(0, 0, 0);
    assertArrayEquals(new int[] {1, 2}, PriorCondition.conditioningGrids(single, 2));
  }

  @Test
  void oneGridIsGivenAsItIsAndSeveralAreStackedBeforeTheGridAxes() {
    try (NDManager manager = NDManager.newBaseManager()) {
      List<NDArray> grids = new ArrayList<>();
      for (int g = 0; g < 3; g++) {
        grids.add(manager.arange(0, 2 * 3 * 4).reshape(2, 3, 4).add(100 * g).toType(DataType.INT64, false));
      }
      List<Integer> stages = List.of(0, 1, 2);
      assertNull(PriorCondition.ofGrid(null, grids, stages, 0).upperCodes());
      assertSame(grids.get(0), PriorCondition.ofGrid(null, grids, stages, 1).upperCodes());
      NDArray two = PriorCondition.ofGrid(null, grids, stages, 2).upperCodes();
      assertEquals(new Shape(2, 2, 3, 4), two.getShape());
      assertArrayEquals(grids.get(1).toLongArray(), two.get(new NDIndex(":, 1")).toLongArray());
      // Clips (B, T, h, w): stacked as (B, T, G, h, w), and folded per frame to (B T, G, h, w).
      List<NDArray> clips = new ArrayList<>();
      for (NDArray g : grids) {
        clips.add(g.reshape(1, 2, 3, 4));
      }
      PriorCondition c = PriorCondition.ofGrid(null, clips, stages, 2);
      assertEquals(new Shape(1, 2, 2, 3, 4), c.upperCodes().getShape());
      NDArray folded = c.perFrame(2).upperCodes();
      assertEquals(new Shape(2, 2, 3, 4), folded.getShape());
      assertArrayEquals(two.toLongArray(), folded.toLongArray());
      // ofLevel is ofGrid of single codes: the level above.
      assertSame(grids.get(1), PriorCondition.ofLevel(null, grids, 2).upperCodes());
    }
  }
}
