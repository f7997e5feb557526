package org.vqlab.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.engine.NativeOps;
import org.vqlab.core.data.Split;
import org.vqlab.core.testing.SyntheticImages;

class TrainerTest {
  @TempDir
  Path dir;

  private static final Shape ITEM = new Shape(1, 4, 4);
  private final SyntheticImages train = new SyntheticImages(Split.TRAIN, 64, ITEM, 1);
  private final SyntheticImages test = new SyntheticImages(Split.TEST, 20, ITEM, 2);

  /** A linear autoencoder on 16 pixels, with noise from PyTorch's generator so RNG state matters. */
  static final class LinearTask implements TrainingTask<LabeledBatch> {
    final Block block = Linear.builder().setUnits(16).build();
    final int nanAtCall;
    int calls;

    LinearTask(NDManager manager, int nanAtCall) {
      this.nanAtCall = nanAtCall;
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
    }

    @Override
    public Block block() {
      return block;
    }

    @Override
    public StepOutput forward(ParameterStore ps, LabeledBatch batch, boolean training) {
      NDArray x = batch.images().reshape(-1, 16);
      NDArray noisy = training ? x.add(x.getManager().randomNormal(0, 0.1f, x.getShape(), DataType.FLOAT32)) : x;
      NDArray y = block.forward(ps, new NDList(noisy), training).singletonOrThrow();
      NDArray mse = y.sub(x).square().mean();
      if (training && ++calls == nanAtCall) {
        mse = mse.mul(Float.NaN);
      }
      return new StepOutput(mse, Map.of("mse", mse));
    }
  }

  private Trainer<LabeledBatch> trainer(NDManager m, TrainingTask<LabeledBatch> task, int maxSteps, Path ckpt, List<TrainingListener> listeners) {
    return trainer(m, task, maxSteps, 1, 5, 3, ckpt, listeners);
  }

  private Trainer<LabeledBatch> trainer(NDManager m, TrainingTask<LabeledBatch> task, int maxSteps, int logEvery,
      int evalEvery, int checkpointEvery, Path ckpt, List<TrainingListener> listeners) {
    TrainerConfig c = new TrainerConfig("cpu", maxSteps, 0, 8, 0.01, List.of(0.9, 0.999), 0.0, 2,
        TrainerConfig.Schedule.COSINE, 0.0, 1.0, logEvery, evalEvery, 0, checkpointEvery, 2);
    // A deterministic schedule of batches: a pure function of the step.
    return new Trainer<>(c, task, train, s -> new long[] {s % 64, (s * 7) % 64, (s * 13) % 64, 5, 6, 7, 8, 9},
        test, m, Engine.getInstance(), 42, new Checkpoints(ckpt, 2), Map.of("purpose", "test"), listeners);
  }

  private static float[] weights(TrainingTask<?> task) {
    List<Float> all = new ArrayList<>();
    task.block().getParameters().forEach(p -> {
      for (float f : p.getValue().getArray().toFloatArray()) {
        all.add(f);
      }
    });
    float[] out = new float[all.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.get(i);
    }
    return out;
  }

  @Test
  void resumeGivesIdenticalParameters() throws IOException {
    float[] straight;
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      LinearTask task = new LinearTask(m, -1);
      trainer(m, task, 12, dir.resolve("a"), List.of()).fit();
      straight = weights(task);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      LinearTask task = new LinearTask(m, -1);
      // Same settings as the straight run, stopped after the checkpoint of step 6.
      Trainer.Result r = trainer(m, task, 12, dir.resolve("b"), List.of(new TrainingListener() {
        @Override
        public void onCheckpoint(Trainer<?> trainer, long step, Path file) {
          if (step == 6) {
            trainer.requestStop();
          }
        }
      })).fit();
      assertFalse(r.completed());
      assertEquals(6, r.step());
    }
    float[] resumed;
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(99); // a different initialisation, overwritten by the checkpoint
      LinearTask task = new LinearTask(m, -1);
      Trainer<LabeledBatch> t = trainer(m, task, 12, dir.resolve("b"), List.of());
      assertEquals(6, Checkpoints.stepOf(t.restoreLatest().newest().orElseThrow()));
      assertEquals(6, t.step());
      t.fit();
      resumed = weights(task);
    }
    assertArrayEquals(straight, resumed, 0f);
  }

  @Test
  void nonFiniteLossStopsAndKeepsLastGoodCheckpoint() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      LinearTask task = new LinearTask(m, 5);
      List<Trainer.Result> ends = new ArrayList<>();
      Trainer<LabeledBatch> t = trainer(m, task, 12, dir.resolve("nan"), List.of(new TrainingListener() {
        @Override
        public void onEnd(Trainer<?> trainer, Trainer.Result result) {
          ends.add(result);
        }
      }));
      Trainer.Result r = t.fit();
      assertFalse(r.completed());
      assertEquals(4, r.step());
      assertTrue(r.stopReason().contains("loss is NaN at step 5"), r.stopReason());
      assertEquals(List.of(r), ends);
      for (float w : weights(task)) {
        assertTrue(Float.isFinite(w));
      }
      // Checkpoints every 3 steps: step 3 is the last one, and it loads.
      Path latest = t.checkpoints().latestIntact().orElseThrow();
      assertEquals(3, Checkpoints.stepOf(latest));
      LinearTask fresh = new LinearTask(m, -1);
      assertEquals(3, Checkpoints.load(latest, fresh.block(), null, m).step());
    }
  }

  /**
   * A step that logs, evaluates and saves nothing reads nothing back from the device: counted by the
   * HostReads gate (every read of the training path goes through it; log steps do read, so the
   * counter is live) and, for reads that libtorch makes by itself, by its profiler: no operator that
   * waits for the device on a GPU (aten::item, nonzero, unique, ...) runs in such a step.
   */
  @Test
  void stepsWithoutLoggingMakeNoHostRead() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      LinearTask task = new LinearTask(m, -1);
      long[] readsAfter = new long[13];
      NativeOps.Counts[] profiled = new NativeOps.Counts[1];
      Trainer<LabeledBatch> t = trainer(m, task, 12, 4, 100, 100, dir.resolve("sync"), List.of(new TrainingListener() {
        @Override
        public void onStepDone(Trainer<?> trainer, long step) {
          readsAfter[(int) step] = HostReads.count();
          // Profiled: steps 2-3, which log nothing.
          if (step == 1) {
            NativeOps.start();
          } else if (step == 3) {
            profiled[0] = NativeOps.stop();
          }
        }
      }));
      t.fit();
      for (int s = 2; s <= 12; s++) {
        long reads = readsAfter[s] - readsAfter[s - 1];
        if (s % 4 == 0) {
          assertEquals(1, reads, "step " + s + " logs: one read of its metrics and the loss guard");
        } else {
          assertEquals(0, reads, "step " + s + " logs nothing and must not read from the device");
        }
      }
      assertEquals(0, profiled[0].hostReads(), "steps 2-3 " + profiled[0].topLevel());
      assertTrue(profiled[0].topLevelTotal() > 20, "the profile saw the steps: " + profiled[0].topLevel());
    }
  }

  /** With log_every = 4, a NaN at step 6 is found at step 8; the stop names step 6 and keeps step 5's parameters. */
  @Test
  void nonFiniteLossBetweenLogStepsStopsNamingTheFirstBadStep() throws IOException {
    float[] atFive;
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      LinearTask task = new LinearTask(m, -1);
      Trainer<LabeledBatch> t = trainer(m, task, 12, 4, 100, 100, dir.resolve("five"), List.of(new TrainingListener() {
        @Override
        public void onStepDone(Trainer<?> trainer, long step) {
          if (step == 5) {
            trainer.requestStop();
          }
        }
      }));
      assertEquals(5, t.fit().step());
      atFive = weights(task);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      LinearTask task = new LinearTask(m, 6);
      List<Long> checkpoints = new ArrayList<>();
      Trainer<LabeledBatch> t = trainer(m, task, 12, 4, 100, 100, dir.resolve("late"), List.of(new TrainingListener() {
        @Override
        public void onCheckpoint(Trainer<?> trainer, long step, Path file) {
          checkpoints.add(step);
        }
      }));
      Trainer.Result r = t.fit();
      assertFalse(r.completed());
      assertEquals(5, r.step());
      assertTrue(r.stopReason().contains("loss is NaN at step 6"), r.stopReason());
      assertTrue(r.stopReason().contains("parameters are those of step 5"), r.stopReason());
      assertEquals(List.of(), checkpoints);
      // Steps 6-8 moved nothing: the parameters are bit for bit those of the same run stopped at step 5.
      assertArrayEquals(atFive, weights(task), 0f);
    }
  }

  @Test
  void damagedCheckpointIsSkippedAndOldOnesArePruned() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      LinearTask task = new LinearTask(m, -1);
      Trainer<LabeledBatch> t = trainer(m, task, 9, dir.resolve("c"), List.of());
      t.fit();
      List<Path> files = t.checkpoints().stepFiles();
      // keep_last = 2 of steps 3, 6, 9 (best.ckpt is kept besides them).
      assertEquals(List.of(6L, 9L), files.stream().map(Checkpoints::stepOf).toList());
      assertTrue(Files.exists(dir.resolve("c").resolve(Checkpoints.BEST)));
      try (RandomAccessFile f = new RandomAccessFile(files.get(1).toFile(), "rw")) {
        f.setLength(f.length() / 2);
      }
      assertFalse(Checkpoints.verify(files.get(1)));
      assertEquals(6, Checkpoints.stepOf(t.checkpoints().latestIntact().orElseThrow()));
    }
  }

  @Test
  void evaluationAveragesOverTheWholeTestSplit() {
    try (NDManager m = NDManager.newBaseManager()) {
      LinearTask task = new LinearTask(m, -1);
      Trainer<LabeledBatch> t = trainer(m, task, 1, dir.resolve("e"), List.of());
      Map<String, Double> metrics = t.evaluate();
      // Reference: the mean squared error over all 20 test items in one pass.
      LabeledBatch all = test.batch(m, new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
      double expected = task.forward(t.parameterStore(), all, false).loss().getFloat();
      assertEquals(expected, metrics.get("eval/loss"), 1e-6);
      assertEquals(expected, metrics.get("eval/mse"), 1e-6);
    }
  }
}
