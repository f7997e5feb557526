package org.vqlab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {
  @Test
  void everyEpochVisitsEachItemOnce() {
    BatchSampler s = new BatchSampler(103, 10, 42, false);
    assertEquals(11, s.batchesPerEpoch());
    for (long e = 0; e < 3; e++) {
      List<long[]> batches = s.epoch(e);
      assertEquals(3, batches.get(10).length);
      long[] all = batches.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      long[] expected = new long[103];
      Arrays.setAll(expected, i -> i);
      assertArrayEquals(expected, all);
    }
  }

  @Test
  void dropLastDropsTheShortBatch() {
    BatchSampler s = new BatchSampler(103, 10, 42, true);
    assertEquals(10, s.batchesPerEpoch());
    assertEquals(100, s.epoch(0).stream().mapToInt(b -> b.length).sum());
    assertThrows(IllegalArgumentException.class, () -> new BatchSampler(5, 10, 0, true));
  }

  @Test
  void sameSeedSameOrderOtherEpochOrSeedOtherOrder() {
    BatchSampler a = new BatchSampler(1000, 32, 7, true);
    BatchSampler b = new BatchSampler(1000, 32, 7, true);
    BatchSampler c = new BatchSampler(1000, 32, 8, true);
    assertArrayEquals(a.order(3), b.order(3));
    assertFalse(Arrays.equals(a.order(0).clone(), a.order(1)));
    assertFalse(Arrays.equals(a.order(0).clone(), c.order(0)));
  }

  @Test
  void resumeFromAStepContinuesMidEpoch() {
    BatchSampler s = new BatchSampler(100, 8, 3, true);
    assertEquals(12, s.batchesPerEpoch());
    // Step 29 = epoch 2, batch 5: a fresh sampler (a resumed run) gives the same indices.
    BatchSampler resumed = new BatchSampler(100, 8, 3, true);
    assertEquals(2, resumed.epochOfStep(29));
    assertArrayEquals(s.epoch(2).get(5), resumed.batchAtStep(29));
  }

  @Test
  void unshuffledSamplerIsSequential() {
    BatchSampler s = new BatchSampler(5, 2, 9, false, false);
    assertArrayEquals(new long[] {4}, s.batch(0, 2));
    assertArrayEquals(new long[] {0, 1}, s.batch(7, 0));
  }

  @Test
  void trainingOrderFollowsTheRunSeedAndIsReproducible() {
    org.vqlab.core.testing.SyntheticImages data = new org.vqlab.core.testing.SyntheticImages(
        Split.TRAIN, 100, new ai.djl.ndarray.types.Shape(1, 2, 2), 3);
    BatchSampler a = BatchSampler.forTraining(data, 10, 1);
    BatchSampler again = BatchSampler.forTraining(data, 10, 1);
    BatchSampler b = BatchSampler.forTraining(data, 10, 2);
    org.junit.jupiter.api.Assertions.assertArrayEquals(a.batchAtStep(17), again.batchAtStep(17));
    org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(a.order(0), b.order(0)));
    // Drop-last: 10 full batches per epoch, each a permutation slice of the 100 items.
    org.junit.jupiter.api.Assertions.assertEquals(10, a.batchesPerEpoch());
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (long[] batch : a.epoch(0)) {
      for (long i : batch) {
        seen.add(i);
      }
    }
    org.junit.jupiter.api.Assertions.assertEquals(100, seen.size());
  }
}
