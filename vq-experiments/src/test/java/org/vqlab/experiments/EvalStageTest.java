package org.vqlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.experiments.run.Launch;
import org.vqlab.experiments.stages.EvalStage;

/** The eval stage on tiny runs trained with `vq train` on real Fashion-MNIST. */
class EvalStageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path out;

  private Path train(String name, String... more) throws IOException {
    return launch("train", name, more);
  }

  private Path launch(String command, String name, String... more) throws IOException {
    List<String> a = new ArrayList<>(List.of(command, "name=" + name, "output_dir=" + out,
        "dataset.subset=512", "model.channels=16", "model.residual_channels=8",
        "quantizer.num_codes=32", "quantizer.code_dim=8", "trainer.batch_size=32",
        "trainer.max_steps=12", "trainer.eval_every=6", "trainer.eval_batches=2",
        "trainer.log_every=3", "trainer.checkpoint_every=6", "trainer.device=cpu"));
    a.addAll(List.of(more));
    VqRun r = VqRun.of(a.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.err());
    try (Stream<Path> s = Files.list(out.resolve(name))) {
      return s.findFirst().orElseThrow();
    }
  }

  /** What `vq eval run=<dir> overrides...` runs. */
  static void eval(Path run, String... overrides) throws Exception {
    try (Launch launch = Launch.inRun(EvalStage.NAME, run, List.of(overrides),
        List.of("vq", "eval", "run=" + run))) {
      launch.stage(EvalStage.NAME, new EvalStage());
    }
  }

  private static double value(JsonNode report, String metric, String key) {
    JsonNode v = report.path("metrics").path(metric).path("values").path(key).path("value");
    assertTrue(v.isNumber(), metric + " has no " + key + ": " + report.path("metrics").path(metric));
    return v.asDouble();
  }

  @Test
  void vqvaeWithoutAPriorReportsReconstructionUsageAndTheBoundsItCan() throws Exception {
    Path run = train("vq");
    eval(run, "eval.max_items=64", "eval.batch_size=24");
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    assertEquals(64, report.path("evaluation").path("items").asInt());
    double mse = value(report, "reconstruction", "reconstruction/mse");
    assertTrue(mse > 0 && mse < 0.25, "mse " + mse);
    assertEquals(10 * Math.log10(1 / mse), value(report, "reconstruction", "reconstruction/psnr"),
        1e-9);
    double ssim = value(report, "reconstruction", "reconstruction/ssim");
    assertTrue(ssim > 0 && ssim < 1, "ssim " + ssim);
    double perplexity = value(report, "codebook_usage", "codebook_usage/bottom/perplexity");
    double used = value(report, "codebook_usage", "codebook_usage/bottom/codes_used");
    assertTrue(perplexity >= 1 && perplexity <= used, perplexity + " of " + used);
    assertEquals(32, used + value(report, "codebook_usage", "codebook_usage/bottom/dead_codes"));
    // Two tracked evaluation passes during training (steps 6 and 12).
    assertTrue(report.path("metrics").path("codebook_usage").path("values")
        .path("codebook_usage/bottom/training_last_perplexity").path("definition").asText()
        .contains("step 12, 2 passes"));
    // Uniform prior: a 7 x 7 grid of log2 32 = 5 bits over 784 dimensions.
    double recon = value(report, "bits_per_dim", "bits_per_dim/reconstruction");
    assertEquals(245 / 784.0, value(report, "bits_per_dim", "bits_per_dim/uniform_prior_total")
        - recon, 1e-9);
    assertTrue(recon > 0 && recon < 16, "recon " + recon);
    JsonNode bpdMissing = report.path("metrics").path("bits_per_dim").path("missing");
    assertTrue(bpdMissing.path("bits_per_dim/total").asText().contains("missing: bottom"));
    String prior = report.path("missing").path("prior/bottom").asText();
    assertTrue(prior.contains("vq train-prior run=" + run), prior);
    assertTrue(report.path("missing").path("samples").asText().contains("vq sample run="));
    // The resolved config, with the command line's overrides, and the launch's provenance.
    assertEquals(32, report.path("config").path("quantizer").path("num_codes").asInt());
    assertEquals(64, report.path("config").path("eval").path("max_items").asInt());
    assertEquals("eval", report.path("provenance").path("command").asText());
    for (String figure : List.of("figures/eval/reconstructions.png",
        "figures/eval/codebook_usage_bottom.png", "figures/eval/codebook_usage_training.png",
        "figures/eval/training_losses.png")) {
      assertTrue(Files.size(run.resolve(figure)) > 500, figure);
      assertTrue(JSON.convertValue(report.path("figures"), List.class).contains(figure), figure);
    }
    String md = Files.readString(run.resolve("report.md"));
    assertTrue(md.contains("| reconstruction/psnr | "), md);
    assertTrue(md.contains("- **prior/bottom**: no trained prior for level bottom"), md);
    // Every number went to the tracker under the eval stage.
    List<JsonNode> tracked = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      if (n.path("stage").asText().equals("eval")) {
        tracked.add(n);
      }
    }
    assertEquals(mse, tracked.stream().filter(n -> n.get("name").asText()
        .equals("reconstruction/mse")).findFirst().orElseThrow().get("value").asDouble(), 1e-12);
    // A second evaluation keeps the first report beside the new one, and shows the samples the
    // sampling stage left.
    Path samples = Files.createDirectories(run.resolve("samples")).resolve("samples.png");
    Files.copy(run.resolve("figures/eval/reconstructions.png"), samples);
    eval(run, "eval.max_items=16", "eval.batch_size=16", "eval.metrics=[reconstruction]");
    try (Stream<Path> s = Files.list(run)) {
      assertEquals(1, s.filter(p -> p.getFileName().toString().matches("report\\.[0-9_-]+\\.json"))
          .count());
    }
    JsonNode second = JSON.readTree(run.resolve("report.json").toFile());
    assertEquals(List.of("reconstruction"), iterable(second.path("metrics").fieldNames()));
    assertTrue(JSON.convertValue(second.path("figures"), List.class).contains("samples/samples.png"));
    assertFalse(second.path("missing").has("samples"));
    assertTrue(Files.readString(run.resolve("report.md"))
        .contains("![samples/samples.png](samples/samples.png)"));
  }

  @Test
  void vaeReportsTheNegativeElboAndTheImportanceWeightedBound() throws Exception {
    // The pipeline trains, samples from the VAE's own N(0, I) prior and evaluates.
    Path run = launch("pipeline", "vae", "model=vae", "model.latent_dim=4", "trainer.max_steps=4",
        "trainer.eval_every=4", "trainer.checkpoint_every=4", "sample.n=9", "eval.max_items=64",
        "eval.batch_size=32", "eval.bits_per_dim.iwae_samples=8");
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    java.awt.image.BufferedImage grid = javax.imageio.ImageIO.read(run.resolve("samples/samples.png").toFile());
    assertTrue(grid.getWidth() > 3 * 28 && grid.getHeight() > 3 * 28 && grid.getWidth() == grid.getHeight(),
        grid.getWidth() + " x " + grid.getHeight());
    List<String> figures = new ArrayList<>();
    report.path("figures").forEach(f -> figures.add(f.asText()));
    assertTrue(figures.contains("samples/samples.png"), figures.toString());
    assertTrue(Files.readString(run.resolve("report.md")).contains("![samples/samples.png](samples/samples.png)"));
    assertFalse(report.path("missing").has("samples"), report.path("missing").toString());
    // The same seed draws the same samples; another seed other ones.
    byte[] first = Files.readAllBytes(run.resolve("samples/samples.png"));
    assertEquals(0, VqRun.of("sample", "run=" + run, "sample.n=9").exitCode());
    org.junit.jupiter.api.Assertions.assertArrayEquals(first, Files.readAllBytes(run.resolve("samples/samples.png")));
    assertEquals(0, VqRun.of("sample", "run=" + run, "sample.n=9", "sample.seed=7").exitCode());
    assertFalse(java.util.Arrays.equals(first, Files.readAllBytes(run.resolve("samples/samples.png"))));
    double elbo = value(report, "bits_per_dim", "bits_per_dim/negative_elbo");
    double iwae = value(report, "bits_per_dim", "bits_per_dim/iwae");
    assertTrue(elbo > 0 && elbo < 16, "negative ELBO " + elbo);
    // The 8-sample bound is at least as tight, up to the estimators' noise.
    assertTrue(iwae < elbo + 0.02, "iwae " + iwae + " vs " + elbo);
    // The reported bound is the tighter of the two.
    assertEquals(Math.min(elbo, iwae), value(report, "bits_per_dim", "bits_per_dim/total"), 1e-12);
    assertTrue(report.path("metrics").path("codebook_usage").path("missing").path("codebook_usage")
        .asText().startsWith("not applicable"));
    assertFalse(report.path("missing").has("prior/bottom"));
    assertTrue(value(report, "reconstruction", "reconstruction/psnr") > 0);
  }

  @Test
  void aRunWithoutAModelStillGetsAReportNamingWhatIsMissing() throws Exception {
    Path run = out.resolve("empty");
    try (Launch launch = Launch.start(EvalStage.NAME, List.of("name=empty", "output_dir=" + out),
        run, List.of("vq", "eval"))) {
      launch.stage(EvalStage.NAME, new EvalStage());
    }
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    String model = report.path("missing").path("model").asText();
    assertTrue(model.contains("run `vq train` first"), model);
    for (String metric : List.of("bits_per_dim", "reconstruction", "codebook_usage")) {
      assertEquals(model, report.path("metrics").path(metric).path("missing").path(metric).asText());
      assertEquals(0, report.path("metrics").path(metric).path("values").size());
    }
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
