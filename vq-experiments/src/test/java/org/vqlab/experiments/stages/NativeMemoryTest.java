package org.vqlab.experiments.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.plugin.PluginPath;
import org.vqlab.core.data.BatchSampler;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.train.Checkpoints;
import org.vqlab.core.train.Trainer;
import org.vqlab.core.train.TrainerConfig;
import org.vqlab.core.train.TrainingListener;

/**
 * Native memory stays flat: after the first steps, a training step leaves no array behind in the
 * model's manager or in the engine's system manager, for each model and quantizer.
 */
class NativeMemoryTest {
  @TempDir
  Path dir;

  private Map<Long, Integer> arraysAfterSteps(String... overrides) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("dataset.subset=256", "model.channels=8",
        "model.residual_channels=4", "quantizer.num_codes=16", "quantizer.code_dim=4",
        "trainer.batch_size=16", "trainer.max_steps=12", "trainer.eval_every=1000",
        "trainer.checkpoint_every=1000", "trainer.log_every=3", "trainer.device=cpu"));
    args.addAll(List.of(overrides));
    ComposedConfig composed = new ConfigComposer(ConfigSearchPath.defaults(PluginPath.current().classLoader())).compose(args);
    PluginRegistry registry = PluginRegistry.load();
    TrainerConfig config = composed.root().child("trainer").bind(TrainerConfig.class);
    TrainStage.Built built = TrainStage.build(composed.root(), registry, Device.cpu());
    Map<Long, Integer> counts = new TreeMap<>();
    try (NDManager manager = built.manager()) {
      BatchSampler sampler = BatchSampler.of(built.train(), config.batchSize(), true);
      TrainingListener probe = new TrainingListener() {
        @Override
        public void onStepDone(Trainer<?> trainer, long step) {
          counts.put(step, manager.getManagedArrays().size() + systemManager().getManagedArrays().size());
        }
      };
      new Trainer<>(config, new AutoencoderTask(built.model(), manager), built.train(),
          s -> sampler.batchAtStep(s - 1), built.test(), manager, Engine.getInstance(), 0,
          new Checkpoints(dir, 1), Map.of(), List.of(probe)).fit();
    }
    return counts;
  }

  /** The engine's manager of last resort (package-private in DJL). */
  private static NDManager systemManager() {
    try {
      java.lang.reflect.Method m = PtNDManager.class.getDeclaredMethod("getSystemManager");
      m.setAccessible(true);
      return (NDManager) m.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertFlat(String... overrides) throws Exception {
    Map<Long, Integer> counts = arraysAfterSteps(overrides);
    // Step 1 may create lazy state (k-means init, optimiser moments); from step 4 on, nothing grows.
    for (long step = 5; step <= 12; step++) {
      assertEquals(counts.get(4L), counts.get(step), "live arrays by step " + counts + " " + List.of(overrides));
    }
  }

  @Test
  void vqvaeWithEma() throws Exception {
    assertFlat("model=vqvae", "quantizer=ema");
  }

  @Test
  void vqvaeWithStandardAndLogisticLikelihood() throws Exception {
    assertFlat("model=vqvae", "quantizer=standard", "model.likelihood=discretized_logistic");
  }

  @Test
  void standardWithRestartsAndCosineDistance() throws Exception {
    assertFlat("model=vqvae", "quantizer=standard", "quantizer.dead_code_threshold=0.5",
        "quantizer.distance=cosine");
  }

  @Test
  void vqvae2() throws Exception {
    assertFlat("model=vqvae2", "model.downsample=2");
  }

  @Test
  void vae() throws Exception {
    assertFlat("model=vae", "model.latent_dim=4");
  }
}
