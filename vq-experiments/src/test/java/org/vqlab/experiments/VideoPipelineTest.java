package org.vqlab.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.codes.CodeBatch;
import org.vqlab.core.codes.CodeStore;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.plugin.PluginPath;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.experiments.run.RunArtifacts;

/**
 * The video preset end to end through {@code vq pipeline} on real moving Fashion-MNIST, shrunk to
 * seconds: 32 x 32 frames (8 x 8 codes), 6 frames per clip, 2 given and 4 generated.
 */
class VideoPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FRAMES = 6;
  private static final int GIVEN = 2;
  private static final int CLIPS = 2;
  private static final int SIDE = 32;
  @TempDir
  static Path out;
  static Path run;

  /** The preset with every size shrunk. */
  static final List<String> TINY = List.of("experiment=video_moving_fashion_mnist",
      "name=video", "dataset.frame_size=" + SIDE, "dataset.frames=" + FRAMES, "dataset.train_clips=64",
      "dataset.test_clips=12", "model.channels=8", "model.residual_channels=4",
      "quantizer.num_codes=16", "quantizer.code_dim=4", "trainer.batch_size=16", "trainer.max_steps=20",
      "trainer.eval_every=20", "trainer.eval_batches=1", "trainer.checkpoint_every=20",
      "trainer.device=cpu", "prior.channels=8", "prior.layers=1", "prior.conditioning_channels=8",
      "prior.conditioning_layers=1", "prior.context=2", "prior.trainer.max_steps=20",
      "prior.trainer.batch_size=4", "prior.trainer.eval_every=20", "prior.trainer.eval_batches=1",
      "prior.trainer.checkpoint_every=20", "sample.n=" + CLIPS, "sample.context_frames=" + GIVEN,
      "sample.future_frames=" + (FRAMES - GIVEN), "eval.video_prediction.clips=3");

  @BeforeAll
  static void pipeline() throws Exception {
    List<String> args = new ArrayList<>(List.of("pipeline", "output_dir=" + out));
    args.addAll(TINY);
    VqRun p = VqRun.of(args.toArray(String[]::new));
    assertEquals(0, p.exitCode(), p.err());
    try (Stream<Path> s = Files.list(out.resolve("video"))) {
      run = s.findFirst().orElseThrow();
    }
  }

  @Test
  void stripsAndGifShowEveryClipAndFrame() throws Exception {
    BufferedImage strips = ImageIO.read(run.resolve("samples/strips.png").toFile());
    // T frames of S + 2-pixel borders per row; a real and a generated row per clip.
    assertEquals(FRAMES * (SIDE + 2) + 2, strips.getWidth());
    assertEquals(2 * CLIPS * (SIDE + 2) + 2, strips.getHeight());
    try (ImageInputStream in = ImageIO.createImageInputStream(run.resolve("samples/clips.gif").toFile())) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
      reader.setInput(in);
      assertEquals(FRAMES, reader.getNumImages(true));
      // Each GIF frame: a row per clip, real | generated.
      assertEquals(2 * (SIDE + 2) + 2, reader.read(0).getWidth());
      assertEquals(CLIPS * (SIDE + 2) + 2, reader.read(0).getHeight());
    }
  }

  @Test
  void codeStoresHoldEachFrameEncodedAsAnImage() throws Exception {
    try (CodeStore test = CodeStore.open(run.resolve("codes/test.vqc"));
        CodeStore train = CodeStore.open(run.resolve("codes/train.vqc"));
        RunArtifacts artifacts = open(run);
        NDManager scope = artifacts.manager().newSubManager()) {
      assertEquals(FRAMES, test.header().frames());
      assertEquals(FRAMES, train.header().frames());
      assertEquals(12, test.size());
      assertEquals(64, train.size());
      assertEquals(SIDE / 4, test.header().levels().get(0).height());
      CodeBatch stored = test.batch(scope, new long[] {0, 5});
      assertEquals(new ai.djl.ndarray.types.Shape(2, FRAMES, SIDE / 4, SIDE / 4), stored.level(0).getShape());
      LabeledBatch clips = artifacts.test().batch(scope, new long[] {0, 5});
      for (int t = 0; t < FRAMES; t++) {
        // Frame t of both clips, encoded on its own as a batch of images (B, C, H, W).
        NDArray frame = clips.images().get(new NDIndex(":, :, {}", t));
        NDArray codes = artifacts.model().encodeCodes(artifacts.parameters(), frame).get(0);
        assertArrayEquals(codes.toLongArray(), stored.level(0).get(new NDIndex(":, {}", t)).toLongArray(),
            "frame " + t);
      }
    }
  }

  @Test
  void sampledClipsKeepTheEncodedGivenFramesAndFastEqualsPlain() throws Exception {
    long[] fast;
    try (CodeStore samples = CodeStore.open(run.resolve("samples/codes.vqc"));
        CodeStore test = CodeStore.open(run.resolve("codes/test.vqc"));
        NDManager m = NDManager.newBaseManager(Device.cpu())) {
      assertEquals(FRAMES, samples.header().frames());
      assertEquals(CLIPS, samples.size());
      NDArray drawn = samples.batch(m, new long[] {0, 1}).level(0);
      NDArray real = test.batch(m, new long[] {0, 1}).level(0);
      NDIndex given = new NDIndex(":, 0:{}", GIVEN);
      assertArrayEquals(real.get(given).toLongArray(), drawn.get(given).toLongArray());
      NDArray future = drawn.get(new NDIndex(":, {}:", GIVEN));
      assertTrue(future.min().getLong() >= 0 && future.max().getLong() < 16);
      fast = drawn.toLongArray();
    }
    // The reference sampler in a copy of the run, through the short keys, draws the same codes.
    Path copy = copy(run, out.resolve("plain"));
    VqRun s = VqRun.of("sample", "run=" + copy, "sampler=plain", "context_frames=" + GIVEN,
        "future_frames=" + (FRAMES - GIVEN));
    assertEquals(0, s.exitCode(), s.err());
    try (CodeStore samples = CodeStore.open(copy.resolve("samples/codes.vqc"));
        NDManager m = NDManager.newBaseManager(Device.cpu())) {
      assertArrayEquals(fast, samples.batch(m, new long[] {0, 1}).level(0).toLongArray());
    }
  }

  @Test
  void reportHasTheVideoNumbers() throws Exception {
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    JsonNode v = report.path("metrics").path("video_prediction").path("values");
    double with = v.path("video_prediction/bits_per_code").path("value").asDouble();
    double without = v.path("video_prediction/bits_per_code_without_past").path("value").asDouble();
    assertTrue(with > 0 && with < 8 && without > 0 && without < 8, with + " " + without);
    // Frame 0 has no past: both NLLs model it from the start alone.
    assertEquals(v.path("video_prediction/bits_per_code/frame_00").path("value").asDouble(),
        v.path("video_prediction/bits_per_code_without_past/frame_00").path("value").asDouble(), 1e-5);
    double sum = 0;
    for (int t = 0; t < FRAMES; t++) {
      sum += v.path(String.format("video_prediction/bits_per_code/frame_%02d", t)).path("value").asDouble();
    }
    assertEquals(with, sum / FRAMES, 1e-5);
    assertEquals(12, v.path("video_prediction/clips").path("value").asInt());
    double mse = v.path("video_prediction/mse_future").path("value").asDouble();
    double floor = v.path("video_prediction/mse_future_reconstruction").path("value").asDouble();
    assertTrue(mse > 0 && mse < 1 && floor > 0 && floor < 1, mse + " " + floor);
    assertTrue(v.has(String.format("video_prediction/mse_future/frame_%02d", FRAMES - 1)));
    // The prior stage logged both NLLs of the whole test store; the same numbers as the report's.
    double logged = Double.NaN;
    double loggedWithout = Double.NaN;
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      if (n.path("name").asText().equals("prior/bottom/test/bits_per_code")) {
        logged = n.path("value").asDouble();
      } else if (n.path("name").asText().equals("prior/bottom/test/bits_per_code_without_past")) {
        loggedWithout = n.path("value").asDouble();
      }
    }
    assertEquals(with, logged, 1e-4);
    assertEquals(without, loggedWithout, 1e-4);
    assertTrue(JSON.convertValue(report.path("figures"), List.class).contains("samples/strips.png"));
  }

  @Test
  void anImagePriorTrainsOnTheFramesOfTheSameStore() throws Exception {
    Path copy = copy(run, out.resolve("image-prior"));
    VqRun p = VqRun.of("train-prior", "run=" + copy, "prior.type=gated_pixelcnn", "~prior.context");
    assertEquals(0, p.exitCode(), p.err());
    double bits = Double.NaN;
    for (String line : Files.readAllLines(copy.resolve("metrics.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      if (n.path("name").asText().equals("prior/bottom/test/bits_per_code")
          && n.path("stage").asText().equals("train-prior")) {
        bits = n.path("value").asDouble();
      }
    }
    // Trained for the same 20 steps: an honest NLL, below log2 K = 4 bits on this peaked data.
    assertTrue(bits > 0 && bits < 4, "image prior " + bits);
  }

  private static RunArtifacts open(Path run) throws Exception {
    ComposedConfig config = new ConfigComposer(ConfigSearchPath.defaults(PluginPath.current().classLoader()))
        .composeFrom(ConfigFactory.parseFile(run.resolve("config.conf").toFile()), java.util.Map.of(),
            null, List.of());
    return RunArtifacts.open(run, config.root(), PluginRegistry.load(), Device.cpu());
  }

  private static Path copy(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return to;
  }
}
