package org.vqlab.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.codes.CodeBatch;
import org.vqlab.core.codes.CodeLevel;
import org.vqlab.core.codes.CodeStore;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.plugin.PluginPath;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.run.RunLayout;
import org.vqlab.experiments.run.RunArtifacts;

/** A two-level VQ-VAE-2 through encode, train-prior and sample at a tiny size. */
class HierarchyStagesTest {
  @TempDir
  Path out;

  @Test
  void twoLevelsAreEncodedTrainedTopFirstAndSampledWithTheUpperCodes() throws Exception {
    VqRun t = VqRun.of("train", "name=h", "output_dir=" + out, "model=vqvae2", "model.downsample=2",
        "model.channels=16", "model.residual_channels=8", "quantizer.num_codes=16", "quantizer.code_dim=8",
        "dataset.subset=128", "trainer.batch_size=32", "trainer.max_steps=6", "trainer.eval_every=6",
        "trainer.eval_batches=1", "trainer.device=cpu", "prior.channels=8", "prior.layers=1",
        "prior.conditioning_channels=8", "prior.conditioning_layers=1", "prior.trainer.max_steps=4",
        "prior.trainer.batch_size=32", "prior.trainer.eval_every=4", "prior.trainer.eval_batches=1");
    assertEquals(0, t.exitCode(), t.err());
    Path run;
    try (Stream<Path> s = Files.list(out.resolve("h"))) {
      run = s.findFirst().orElseThrow();
    }
    for (String command : List.of("encode", "train-prior")) {
      VqRun r = VqRun.of(command, "run=" + run);
      assertEquals(0, r.exitCode(), r.err());
    }
    try (CodeStore train = CodeStore.open(RunLayout.codes(run, "train"))) {
      assertEquals(List.of(new CodeLevel("top", 16, 7, 7), new CodeLevel("bottom", 16, 14, 14)),
          train.header().levels());
      assertEquals(4 + (49 + 196) * 2, train.header().recordBytes());
    }
    for (String level : List.of("top", "bottom")) {
      assertTrue(Files.exists(run.resolve("checkpoints/prior/" + level + "/best.ckpt")), level);
    }

    // The bottom prior reads the top codes: other top codes give other logits.
    ComposedConfig composed = new ConfigComposer(ConfigSearchPath.defaults(PluginPath.current().classLoader())).composeFrom(
        ConfigFactory.parseFile(run.resolve("config.conf").toFile()), Map.of(), null, List.of());
    try (RunArtifacts artifacts = RunArtifacts.open(run, composed.root(), PluginRegistry.load(), Device.cpu());
        CodeStore test = CodeStore.open(RunLayout.codes(run, "test"));
        NDManager scope = artifacts.manager().newSubManager();
        CodeBatch batch = test.batch(scope, new long[] {0, 1, 2, 3})) {
      CodePrior bottom = artifacts.loadPrior(1).orElseThrow();
      NDArray top = batch.level(0);
      NDArray a = bottom.logits(artifacts.parameters(), batch.level(1),
          new PriorCondition(batch.labels(), top, null), false);
      NDArray b = bottom.logits(artifacts.parameters(), batch.level(1),
          new PriorCondition(batch.labels(), top.add(1).mod(16), null), false);
      assertTrue(a.sub(b).abs().max().getFloat() > 1e-4, "the bottom prior ignores the top codes");
    }

    List<long[][]> drawn = new ArrayList<>();
    for (String sampler : List.of("plain", "fast")) {
      VqRun s = VqRun.of("sample", "run=" + run, "n=4", "sampler=" + sampler);
      assertEquals(0, s.exitCode(), s.err());
      try (CodeStore samples = CodeStore.open(run.resolve("samples/codes.vqc"))) {
        assertEquals(4, samples.size());
        long[][] codes = new long[8][];
        for (int i = 0; i < 4; i++) {
          codes[2 * i] = samples.item(i).levels()[0];
          codes[2 * i + 1] = samples.item(i).levels()[1];
        }
        drawn.add(codes);
      }
    }
    assertArrayEquals(drawn.get(0), drawn.get(1), "fast and plain samplers drew different codes");
  }
}
