package org.vqlab.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.data.Split;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.quantizer.CodebookUsage;
import org.vqlab.core.testing.SyntheticImages;
import org.vqlab.eval.RunEvaluation;
import org.vqlab.testkit.UniformPixelModel;
import org.vqlab.testkit.UniformPrior;

/**
 * The three metric families on a model whose likelihood, codes and reconstructions are known in
 * closed form, over random 8-bit images, against values computed here on the host.
 */
class MetricsOnAKnownModelTest {
  private static final int K = 16;
  private static final Shape IMAGE = new Shape(1, 12, 12);
  @TempDir
  Path run;

  private RunEvaluation context(NDManager m, SyntheticImages data, Optional<CodePrior> prior,
      long maxItems) {
    return context(m, data, prior, maxItems, new UniformPixelModel(K));
  }

  private RunEvaluation context(NDManager m, SyntheticImages data, Optional<CodePrior> prior,
      long maxItems, Autoencoder model) {
    return new RunEvaluation(run, m, new ParameterStore(m, false), Optional.of(model),
        Optional.of(data), List.of(prior), Optional.empty(), 7, maxItems, 0,
        prior.isPresent() ? Map.of() : Map.of("prior/bottom", "no prior: run `vq train-prior`"));
  }

  @Test
  void uniformDecoderIsExactlyEightBitsPerDimAndUniformPriorAddsLog2KPerCode() {
    SyntheticImages data = new SyntheticImages(Split.TEST, 30, IMAGE, 5);
    try (NDManager m = NDManager.newBaseManager()) {
      UniformPrior prior = new UniformPrior(K);
      MetricResult r = new BitsPerDim(new BitsPerDimConfig(0)).evaluate(
          context(m, data, Optional.of(prior), 0));
      // 6 x 6 codes of log2 16 = 4 bits each over 144 dimensions: 1 bit/dim.
      double priorBits = 6 * 6 * 4 / 144.0;
      assertEquals(8.0, r.values().get("bits_per_dim/reconstruction").value(), 1e-9);
      assertEquals(priorBits, r.values().get("bits_per_dim/prior/bottom").value(), 1e-6);
      assertEquals(priorBits, r.values().get("bits_per_dim/prior").value(), 1e-6);
      assertEquals(8.0 + priorBits, r.values().get("bits_per_dim/total").value(), 1e-6);
      assertEquals(priorBits, r.values().get("bits_per_dim/uniform_prior").value(), 1e-9);
      assertEquals(9.0, r.values().get("bits_per_dim/uniform_prior_total").value(), 1e-9);
      assertEquals(30, r.values().get("bits_per_dim/items").value());
      assertEquals("bits/dim", r.values().get("bits_per_dim/total").unit());
      assertTrue(r.missing().isEmpty(), r.missing().toString());
      // Batches of 7 over 30 items: every item's label reached the prior.
      assertEquals(30, prior.labelledItems);
    }
  }

  @Test
  void withoutAPriorTheReconstructionTermAndUniformBoundAreReportedAndTheRestNamed() {
    SyntheticImages data = new SyntheticImages(Split.TEST, 30, IMAGE, 5);
    try (NDManager m = NDManager.newBaseManager()) {
      MetricResult r = new BitsPerDim(new BitsPerDimConfig(0)).evaluate(
          context(m, data, Optional.empty(), 10));
      assertEquals(8.0, r.values().get("bits_per_dim/reconstruction").value(), 1e-9);
      assertEquals(9.0, r.values().get("bits_per_dim/uniform_prior_total").value(), 1e-9);
      assertEquals(10, r.values().get("bits_per_dim/items").value());
      assertFalse(r.values().containsKey("bits_per_dim/total"));
      assertEquals("no prior: run `vq train-prior`", r.missing().get("bits_per_dim/prior/bottom"));
      assertTrue(r.missing().get("bits_per_dim/total").contains("bottom"));
    }
  }

  @Test
  void reconstructionMseAndPsnrMatchTheHostValuesAndTheGridIsWritten() throws Exception {
    SyntheticImages data = new SyntheticImages(Split.TEST, 20, IMAGE, 9);
    double squared = 0;
    for (int i = 0; i < 20; i++) {
      for (byte b : data.rawItem(i)) {
        // x' = x / 2 in the centred range: the [0, 1] error is (v / 255 - 1/2) / 2.
        double e = ((b & 0xff) / 255.0 - 0.5) / 2;
        squared += e * e;
      }
    }
    double mse = squared / (20 * 144);
    try (NDManager m = NDManager.newBaseManager()) {
      MetricResult r = new Reconstruction(new ReconstructionConfig(8)).evaluate(
          context(m, data, Optional.empty(), 0));
      assertEquals(mse, r.values().get("reconstruction/mse").value(), 1e-7);
      assertEquals(10 * Math.log10(1 / mse), r.values().get("reconstruction/psnr").value(), 1e-4);
      double ssim = r.values().get("reconstruction/ssim").value();
      assertTrue(ssim > 0 && ssim < 1, "ssim " + ssim);
      Path grid = run.resolve(Reconstruction.GRID);
      assertEquals(List.of(grid), r.figures());
      // The first 8 images (batches are of 7) over their reconstructions: 12-pixel images with
      // 2-pixel borders.
      java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(grid.toFile());
      assertEquals(8 * 14 + 2, png.getWidth());
      assertEquals(2 * 14 + 2, png.getHeight());
    }
  }

  @Test
  void codebookUsageMatchesTheHistogramCountedOnTheHost() throws Exception {
    SyntheticImages data = new SyntheticImages(Split.TEST, 3, IMAGE, 13);
    int k = 64;
    long[] counts = new long[k];
    UniformPixelModel model = new UniformPixelModel(k);
    for (int i = 0; i < 3; i++) {
      byte[] raw = data.rawItem(i);
      for (int y = 0; y < 12; y += 2) {
        for (int x = 0; x < 12; x += 2) {
          counts[model.code(raw[y * 12 + x] & 0xff)]++;
        }
      }
    }
    double entropy = 0;
    int used = 0;
    for (long c : counts) {
      if (c > 0) {
        used++;
        double p = c / 108.0;
        entropy -= p * Math.log(p);
      }
    }
    try (NDManager m = NDManager.newBaseManager()) {
      MetricResult r = new CodebookUsageMetric().evaluate(context(m, data, Optional.empty(), 0,
          model));
      assertEquals(Math.exp(entropy), r.values().get("codebook_usage/bottom/perplexity").value(), 1e-9);
      assertEquals(used, r.values().get("codebook_usage/bottom/codes_used").value());
      assertEquals(k - used, r.values().get("codebook_usage/bottom/dead_codes").value());
      // 108 codes over 64 values leave some unused, so dead codes are exercised.
      assertTrue(used < k && used > 1, "used " + used);
      List<String> csv = Files.readAllLines(run.resolve("figures/eval/codebook_usage_bottom.csv"));
      List<String> expected = new ArrayList<>(List.of("code,count"));
      for (int c = 0; c < k; c++) {
        expected.add(c + "," + counts[c]);
      }
      assertEquals(expected, csv);
      assertTrue(Files.size(run.resolve("figures/eval/codebook_usage_bottom.png")) > 1000);
      assertEquals("no tracked metrics (metrics.jsonl) in the run",
          r.missing().get("codebook_usage/training"));
    }
  }

  @Test
  void perplexityAndDeadCodesOfAKnownHistogram() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Counts (2, 4, 1, 1, 0, 0, 0, 0): p = (1/4, 1/2, 1/8, 1/8), entropy 1.75 bits.
      NDArray indices = m.create(new long[] {0, 0, 1, 1, 1, 1, 2, 3});
      try (CodebookUsage usage = CodebookUsage.start(new UniformPixelModel(8).quantizers().get(0), m)) {
        usage.add(indices);
        CodebookUsage.Summary s = usage.summary();
        assertEquals(Math.pow(2, 1.75), s.perplexity(), 1e-12);
        assertEquals(4, s.codesUsed());
        assertEquals(4, s.deadCodes());
        assertEquals(List.of(4L, 2L, 1L, 1L, 0L, 0L, 0L, 0L), java.util.Arrays.stream(
            org.vqlab.eval.figures.UsageHistogram.sorted(s.histogram())).boxed().toList());
      }
    }
  }

  @Test
  void aRunWithoutAModelReportsEveryMetricMissingWithTheReason() {
    try (NDManager m = NDManager.newBaseManager()) {
      RunEvaluation empty = new RunEvaluation(run, m, new ParameterStore(m, false), Optional.empty(),
          Optional.empty(), List.of(), Optional.empty(), 8, 0, 0,
          Map.of("model", "no trained autoencoder: run `vq train`"));
      for (MetricResult r : List.of(new BitsPerDim(new BitsPerDimConfig(0)).evaluate(empty),
          new Reconstruction(new ReconstructionConfig(4)).evaluate(empty),
          new CodebookUsageMetric().evaluate(empty))) {
        assertTrue(r.values().isEmpty());
        assertEquals(List.of("no trained autoencoder: run `vq train`"),
            List.copyOf(r.missing().values()));
      }
    }
  }
}
