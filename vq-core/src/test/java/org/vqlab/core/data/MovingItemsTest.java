package org.vqlab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vqlab.core.testing.FashionMnistFiles;

/** Moving Fashion-MNIST generated from the real data. */
class MovingItemsTest {
  private static final DataLocations LOCATIONS =
      new DataLocations(FashionMnistFiles.DIR, null, List.of(), Path.of("/nonexistent"));

  @BeforeAll
  static void requireData() {
    FashionMnistFiles.require();
  }

  private static MovingItemsDataset moving(Split split, long seed, int items, int clips) throws IOException {
    MovingItemsDataset d = MovingItemsDataset.builder(IdxDataset.FASHION_MNIST)
        .configureSource(s -> s.optLocations(LOCATIONS)).optSplit(split).optSeed(seed)
        .optNumItems(items).optNumClips(clips).build();
    d.prepare(null);
    return d;
  }

  @Test
  void sameSeedSameClipsOtherSeedOtherClips() throws IOException {
    MovingItemsDataset a = moving(Split.TRAIN, 7, 2, 20);
    MovingItemsDataset b = moving(Split.TRAIN, 7, 2, 20);
    MovingItemsDataset c = moving(Split.TRAIN, 8, 2, 20);
    assertEquals(new Shape(1, 20, 64, 64), a.itemShape());
    int differ = 0;
    for (long i = 0; i < 20; i++) {
      assertArrayEquals(a.rawItem(i), b.rawItem(i));
      differ += Arrays.equals(a.rawItem(i), c.rawItem(i)) ? 0 : 1;
    }
    assertEquals(20, differ);
  }

  @Test
  void itemsStayInsideTheFrameAndBounce() throws IOException {
    MovingItemsDataset d = moving(Split.TRAIN, 1, 3, 200);
    boolean bounced = false;
    for (long i = 0; i < 200; i++) {
      int[][][] pos = d.plan(i).positions();
      for (int t = 0; t < pos.length; t++) {
        for (int[] p : pos[t]) {
          assertTrue(p[0] >= 0 && p[0] <= 64 - 28 && p[1] >= 0 && p[1] <= 64 - 28,
              "clip " + i + " frame " + t + " at " + Arrays.toString(p));
        }
        if (t >= 2) {
          for (int k = 0; k < pos[t].length; k++) {
            int d1 = pos[t - 1][k][0] - pos[t - 2][k][0];
            int d2 = pos[t][k][0] - pos[t - 1][k][0];
            bounced |= Math.abs(d1) >= 2 && Math.abs(d2) >= 2 && Integer.signum(d1) != Integer.signum(d2);
          }
        }
      }
    }
    assertTrue(bounced, "some item reverses direction within 200 clips of 20 frames");
  }

  @Test
  void singleItemFramesAreTheSourceImageAtItsPositionAndZeroElsewhere() throws IOException {
    MovingItemsDataset d = moving(Split.TEST, 3, 1, 5);
    for (long clip = 0; clip < 5; clip++) {
      MovingItemsDataset.Plan plan = d.plan(clip);
      byte[] src = d.source().rawItem(plan.sourceIndices()[0]);
      byte[] item = d.rawItem(clip);
      for (int t = 0; t < 20; t++) {
        int px = plan.positions()[t][0][0];
        int py = plan.positions()[t][0][1];
        for (int y = 0; y < 64; y++) {
          for (int x = 0; x < 64; x++) {
            boolean inside = x >= px && x < px + 28 && y >= py && y < py + 28;
            int expected = inside ? src[(y - py) * 28 + (x - px)] & 0xff : 0;
            assertEquals(expected, item[t * 4096 + y * 64 + x] & 0xff);
          }
        }
      }
    }
  }

  @Test
  void trainAndTestClipsUseDisjointSourceImages() throws IOException {
    MovingItemsDataset train = moving(Split.TRAIN, 5, 2, 300);
    MovingItemsDataset test = moving(Split.TEST, 5, 2, 300);
    assertEquals(Split.TRAIN, train.source().split());
    assertEquals(Split.TEST, test.source().split());
    Set<String> trainImages = new HashSet<>();
    for (long i = 0; i < 300; i++) {
      for (long s : train.plan(i).sourceIndices()) {
        trainImages.add(Sha256.of(train.source().rawItem(s)));
      }
    }
    int testItems = 0;
    for (long i = 0; i < 300; i++) {
      for (long s : test.plan(i).sourceIndices()) {
        assertFalse(trainImages.contains(Sha256.of(test.source().rawItem(s))),
            "test clip " + i + " uses an image that a train clip uses");
        testItems++;
      }
    }
    assertEquals(600, testItems);
    assertTrue(trainImages.size() > 500);
  }
}
