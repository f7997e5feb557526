package org.vqlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The quantizers of the head-to-head through {@code vq pipeline} on real Fashion-MNIST, shrunk to
 * seconds: train, encode, prior, sample and eval run, and the report's bits/dim is complete.
 */
class QuantizerPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path out;

  private static final List<String> TINY = List.of("model.channels=16",
      "model.residual_channels=8", "dataset.subset=256", "trainer.batch_size=32",
      "trainer.max_steps=8", "trainer.eval_every=8", "trainer.eval_batches=1", "trainer.device=cpu",
      "prior.channels=8", "prior.layers=1", "prior.conditioning_channels=8",
      "prior.conditioning_layers=1", "prior.trainer.max_steps=3", "prior.trainer.batch_size=32",
      "prior.trainer.eval_every=3", "prior.trainer.eval_batches=1", "eval.max_items=128",
      "eval.batch_size=64", "sample.n=4");

  private Path run(String stage, String name, String... overrides) throws Exception {
    List<String> args = new ArrayList<>(List.of(stage, "name=" + name, "output_dir=" + out));
    args.addAll(TINY);
    args.addAll(List.of(overrides));
    VqRun p = VqRun.of(args.toArray(String[]::new));
    assertEquals(0, p.exitCode(), p.err());
    try (Stream<Path> s = Files.list(out.resolve(name))) {
      return s.findFirst().orElseThrow();
    }
  }

  private static double value(JsonNode report, String metric, String key) {
    JsonNode v = report.path("metrics").path(metric).path("values").path(key).path("value");
    assertTrue(v.isNumber(), metric + " has no " + key + ": " + report.path("metrics").path(metric));
    return v.asDouble();
  }

  /** The last eval/pass_codes_used/bottom that vq train logged. */
  private static double trainedCodesUsed(Path run) throws Exception {
    double used = Double.NaN;
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode m = JSON.readTree(line);
      if (m.path("name").asText().equals("eval/pass_codes_used/bottom")) {
        used = m.path("value").asDouble();
      }
    }
    return used;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "fsq|quantizer=fsq|quantizer.levels=[8, 8, 8]",
      "lfq|quantizer=lfq|quantizer.code_dim=9",
      "rotation|quantizer=standard|quantizer.gradient=rotation",
      "affine|quantizer=ema|quantizer.affine=true"})
  void pipelineRunsAndBitsPerDimIsComplete(String name, String quantizer, String option)
      throws Exception {
    Path run = run("pipeline", name, quantizer, option);
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    double total = value(report, "bits_per_dim", "bits_per_dim/total");
    double recon = value(report, "bits_per_dim", "bits_per_dim/reconstruction");
    double prior = value(report, "bits_per_dim", "bits_per_dim/prior");
    assertEquals(recon + prior, total, 1e-9);
    // K = 512 everywhere: a uniform prior costs log2 512 = 9 bits per code, 7 x 7 codes per 784
    // pixels.
    assertEquals(9.0 * 49 / 784, value(report, "bits_per_dim", "bits_per_dim/uniform_prior"), 1e-12);
    assertTrue(prior > 0 && prior < 9.0 * 49 / 784 + 0.1, "prior term " + prior);
    assertTrue(value(report, "codebook_usage", "codebook_usage/bottom/codes_used") > 1);
    assertTrue(Files.size(run.resolve("samples/samples.png")) > 0);
  }

  /**
   * FSQ on real data after 8 steps: the data scale spreads the codes; the paper's FSQ on the same
   * fresh encoder (outputs of std ~0.01) rounds nearly everything to a few codes.
   */
  @Test
  void fsqDataScaleDoesNotCollapseOnFashionMnist() throws Exception {
    double scaled = trainedCodesUsed(run("train", "fsq_data", "quantizer=fsq"));
    double faithful = trainedCodesUsed(run("train", "fsq_none", "quantizer=fsq",
        "quantizer.scale=none"));
    assertTrue(scaled >= 32, "fsq with the data scale used " + scaled + " codes");
    assertTrue(faithful <= 8, "the paper's fsq used " + faithful + " codes");
  }
}
