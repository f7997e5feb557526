package org.vqlab.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.codes.CodeBatch;
import org.vqlab.core.codes.CodeLevel;
import org.vqlab.core.codes.CodeStore;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.run.RunLayout;
import org.vqlab.experiments.run.RunArtifacts;

/**
 * {@code quantizer=residual} through {@code vq pipeline} and {@code vq train} on real Fashion-MNIST
 * at a tiny size: every stage is a code grid with its own prior, and bits/dim adds up over them.
 */
class ResidualPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> STAGES = List.of("bottom_stage1", "bottom_stage2", "bottom_stage3");
  @TempDir
  static Path out;
  static Path run;

  @BeforeAll
  static void pipeline() throws Exception {
    VqRun p = VqRun.of("pipeline", "name=rvq", "output_dir=" + out, "quantizer=residual",
        "quantizer.stages=3", "quantizer.dropout=0.5", "quantizer.num_codes=16",
        "quantizer.code_dim=8", "model.channels=16", "model.residual_channels=8",
        "dataset.subset=128", "trainer.batch_size=32", "trainer.max_steps=6",
        "trainer.eval_every=6", "trainer.eval_batches=1", "trainer.device=cpu", "prior.channels=8",
        "prior.layers=1", "prior.conditioning_channels=8", "prior.conditioning_layers=1",
        "prior.trainer.max_steps=3", "prior.trainer.batch_size=32", "prior.trainer.eval_every=3",
        "prior.trainer.eval_batches=1", "eval.max_items=64", "eval.batch_size=32", "sample.n=4");
    assertEquals(0, p.exitCode(), p.err());
    try (Stream<Path> s = Files.list(out.resolve("rvq"))) {
      run = s.findFirst().orElseThrow();
    }
  }

  private static double value(JsonNode report, String metric, String key) {
    JsonNode v = report.path("metrics").path(metric).path("values").path(key).path("value");
    assertTrue(v.isNumber(), metric + " has no " + key + ": " + report.path("metrics").path(metric));
    return v.asDouble();
  }

  @Test
  void bitsPerDimIsTheReconstructionTermPlusEveryStagesPriorTerm() throws Exception {
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    double stages = 0;
    for (String stage : STAGES) {
      double bits = value(report, "bits_per_dim", "bits_per_dim/prior/" + stage);
      // A trained prior near its start: close to log2 16 bits per code, 49 codes of 784 dims.
      assertTrue(bits > 0 && bits < 0.3, stage + " " + bits);
      stages += bits;
      assertTrue(value(report, "codebook_usage", "codebook_usage/" + stage + "/codes_used") >= 1);
    }
    assertEquals(stages, value(report, "bits_per_dim", "bits_per_dim/prior"), 1e-12);
    assertEquals(value(report, "bits_per_dim", "bits_per_dim/reconstruction") + stages,
        value(report, "bits_per_dim", "bits_per_dim/total"), 1e-12);
    // Uniform prior: 3 stages x 49 codes x log2 16 bits over 784 dimensions.
    assertEquals(3 * 49 * 4 / 784.0, value(report, "bits_per_dim", "bits_per_dim/uniform_prior"), 1e-12);
  }

  @Test
  void everyStageIsAStoredGridWithItsOwnPriorConditionedOnTheStagesBefore() throws Exception {
    try (CodeStore train = CodeStore.open(RunLayout.codes(run, "train"));
        CodeStore samples = CodeStore.open(run.resolve("samples/codes.vqc"))) {
      List<CodeLevel> expected = new ArrayList<>();
      for (int s = 0; s < STAGES.size(); s++) {
        expected.add(new CodeLevel(STAGES.get(s), 16, 7, 7, s));
      }
      assertEquals(expected, train.header().levels());
      assertEquals(expected, samples.header().levels());
      assertEquals(4, samples.size());
    }
    for (String stage : STAGES) {
      assertTrue(Files.exists(run.resolve("checkpoints/prior/" + stage + "/best.ckpt")), stage);
    }
    List<String> logged = Files.readAllLines(run.resolve("metrics.jsonl"));
    for (String stage : STAGES) {
      assertTrue(logged.stream().anyMatch(l -> l.contains("\"train/perplexity/" + stage + "\"")),
          "no training perplexity of " + stage);
    }
    try (RunArtifacts artifacts = open(run);
        CodeStore test = CodeStore.open(RunLayout.codes(run, "test"));
        NDManager scope = artifacts.manager().newSubManager();
        CodeBatch batch = test.batch(scope, new long[] {0, 1, 2, 3});
        LabeledBatch images = artifacts.test().batch(scope, new long[] {0, 1, 2, 3})) {
      // The stored grids are the model's stages: decoding them gives the model's reconstruction.
      NDArray fromStore = artifacts.model().decodeCodes(artifacts.parameters(), new NDList(batch.levels()));
      NDArray direct = artifacts.model().compute(artifacts.parameters(), images.images(), false)
          .reconstruction();
      assertArrayEquals(direct.toFloatArray(), fromStore.toFloatArray(), 1e-5f);
      // Stage 3's prior reads the codes of stages 1 and 2, given stacked (B, 2, h, w).
      CodePrior third = artifacts.loadPrior(2).orElseThrow();
      NDArray first = batch.level(0);
      NDArray second = batch.level(1);
      NDArray a = third.logits(artifacts.parameters(), batch.level(2),
          new PriorCondition(batch.labels(), NDArrays.stack(new NDList(first, second), 1), null), false);
      NDArray b = third.logits(artifacts.parameters(), batch.level(2), new PriorCondition(
          batch.labels(), NDArrays.stack(new NDList(first.add(1).mod(16), second), 1), null), false);
      NDArray c = third.logits(artifacts.parameters(), batch.level(2), new PriorCondition(
          batch.labels(), NDArrays.stack(new NDList(first, second.add(1).mod(16)), 1), null), false);
      assertTrue(a.sub(b).abs().max().getFloat() > 1e-5, "stage 3's prior ignores stage 1's codes");
      assertTrue(a.sub(c).abs().max().getFloat() > 1e-5, "stage 3's prior ignores stage 2's codes");
    }
  }

  @Test
  void trainsAHierarchyOfResidualLevelsWithSharedStandardCodebooks() throws Exception {
    VqRun t = VqRun.of("train", "name=rvq2", "output_dir=" + out, "model=vqvae2",
        "model.downsample=2", "quantizer=residual", "quantizer.stages=2",
        "quantizer.codebook=standard", "quantizer.shared_codebook=true", "quantizer.num_codes=16",
        "quantizer.code_dim=8", "model.channels=16", "model.residual_channels=8",
        "dataset.subset=64", "trainer.batch_size=32", "trainer.max_steps=3", "trainer.eval_every=3",
        "trainer.eval_batches=1", "trainer.device=cpu");
    assertEquals(0, t.exitCode(), t.err());
    Path trained;
    try (Stream<Path> s = Files.list(out.resolve("rvq2"))) {
      trained = s.findFirst().orElseThrow();
    }
    List<String> logged = Files.readAllLines(trained.resolve("metrics.jsonl"));
    for (String grid : List.of("top_stage1", "top_stage2", "bottom_stage1", "bottom_stage2")) {
      assertTrue(logged.stream().anyMatch(l -> l.contains("\"eval/pass_perplexity/" + grid + "\"")),
          "no evaluation usage of " + grid);
    }
    try (RunArtifacts artifacts = open(trained)) {
      assertEquals(List.of(new CodeLevel("top_stage1", 16, 7, 7), new CodeLevel("top_stage2", 16, 7, 7, 1),
          new CodeLevel("bottom_stage1", 16, 14, 14), new CodeLevel("bottom_stage2", 16, 14, 14, 1)),
          artifacts.levels());
      // The bottom's first stage is conditioned on both top stages, its second on its first.
      assertEquals(new org.vqlab.core.prior.PriorContext(16, 14, 14, 16, 7, 7, 10, 2),
          artifacts.priorContext(2));
      assertEquals(new org.vqlab.core.prior.PriorContext(16, 14, 14, 16, 14, 14, 10, 1),
          artifacts.priorContext(3));
    }
  }

  private static RunArtifacts open(Path dir) throws Exception {
    ComposedConfig composed = new ConfigComposer(ConfigSearchPath.defaults(
        Thread.currentThread().getContextClassLoader())).composeFrom(
        ConfigFactory.parseFile(dir.resolve("config.conf").toFile()), Map.of(), null, List.of());
    return RunArtifacts.open(dir, composed.root(), PluginRegistry.load(), Device.cpu());
  }
}
