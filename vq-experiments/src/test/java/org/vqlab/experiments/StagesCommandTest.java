package org.vqlab.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.codes.CodeStore;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.plugin.PluginPath;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.run.RunLayout;
import org.vqlab.experiments.run.RunArtifacts;

/**
 * `vq encode`, `vq train-prior` and `vq sample` end to end on real Fashion-MNIST with a tiny VQ-VAE
 * (trained once for the class) and a tiny prior.
 */
class StagesCommandTest {
  @TempDir
  static Path out;
  static Path run;

  /** A tiny prior: seconds per stage on two cores. */
  static final List<String> PRIOR = List.of("prior.channels=8", "prior.layers=1",
      "prior.conditioning_channels=8", "prior.conditioning_layers=1", "prior.trainer.batch_size=32",
      "prior.trainer.eval_every=4", "prior.trainer.eval_batches=2", "prior.trainer.log_every=2",
      "prior.trainer.checkpoint_every=4");

  @BeforeAll
  static void trainAndEncode() throws Exception {
    VqRun t = VqRun.of("train", "name=stages", "output_dir=" + out, "dataset.subset=256",
        "model.channels=16", "model.residual_channels=8", "quantizer.num_codes=32", "quantizer.code_dim=8",
        "trainer.batch_size=32", "trainer.max_steps=12", "trainer.eval_every=12", "trainer.eval_batches=2",
        "trainer.device=cpu");
    assertEquals(0, t.exitCode(), t.err());
    try (Stream<Path> s = Files.list(out.resolve("stages"))) {
      run = s.findFirst().orElseThrow();
    }
    VqRun e = VqRun.of("encode", "run=" + run);
    assertEquals(0, e.exitCode(), e.err());
  }

  private Path copyRun(String name) throws IOException {
    Path copy = out.resolve(name);
    try (Stream<Path> s = Files.walk(run)) {
      for (Path p : s.toList()) {
        Path to = copy.resolve(run.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return copy;
  }

  private static VqRun vq(String command, Path dir, List<String> base, String... more) {
    List<String> args = new ArrayList<>(List.of(command, "run=" + dir));
    args.addAll(base);
    args.addAll(List.of(more));
    return VqRun.of(args.toArray(String[]::new));
  }

  @Test
  void encodeStoresTheModelsCodesAndTheLabels() throws Exception {
    ComposedConfig composed = new ConfigComposer(ConfigSearchPath.defaults(PluginPath.current().classLoader())).composeFrom(
        ConfigFactory.parseFile(run.resolve("config.conf").toFile()), Map.of(), null, List.of());
    try (RunArtifacts artifacts = RunArtifacts.open(run, composed.root(), PluginRegistry.load(), Device.cpu());
        CodeStore test = CodeStore.open(RunLayout.codes(run, "test"));
        CodeStore train = CodeStore.open(RunLayout.codes(run, "train"))) {
      test.verify();
      assertEquals(256, train.size());
      assertEquals(256, test.size());
      assertEquals(artifacts.levels(), test.header().levels());
      assertEquals(10, test.header().numClasses());
      assertEquals(12L, ((Number) test.header().provenance().get("checkpoint_step")).longValue());
      // 4 bytes of label + 7 x 7 codes of 2 bytes.
      assertEquals(4 + 49 * 2, test.header().recordBytes());
      long[] idx = {0, 1, 2, 100, 255};
      try (NDManager scope = artifacts.manager().newSubManager();
          LabeledBatch batch = artifacts.test().batch(scope, idx)) {
        NDArray codes = artifacts.model().encodeCodes(artifacts.parameters(), batch.images()).get(0);
        long[] expected = codes.toLongArray();
        for (int i = 0; i < idx.length; i++) {
          CodeStore.Item item = test.item(idx[i]);
          assertArrayEquals(Arrays.copyOfRange(expected, i * 49, (i + 1) * 49), item.levels()[0],
              "codes of test item " + idx[i]);
          assertEquals(artifacts.test().label(idx[i]), item.label());
        }
      }
      long[] histogram = train.histogram(0);
      assertEquals(256L * 49, Arrays.stream(histogram).sum());
    }
    // Codes used per level and the store sizes are metrics of the encode stage.
    List<String> names = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      names.add(new ObjectMapper().readTree(line).get("name").asText());
    }
    assertTrue(names.containsAll(List.of("encode/train/codes_used/bottom", "encode/test/file_bytes")), names.toString());
  }

  @Test
  void trainPriorResumesAsIfNeverStopped() throws Exception {
    Path straight = copyRun("straight");
    Path stopped = copyRun("stopped");
    // A constant rate: a cosine schedule would depend on max_steps, which the stopped run changes.
    VqRun a = vq("train-prior", straight, PRIOR, "prior.trainer.max_steps=8", "prior.trainer.schedule=constant");
    assertEquals(0, a.exitCode(), a.err());
    assertEquals(0, vq("train-prior", stopped, PRIOR, "prior.trainer.max_steps=4",
        "prior.trainer.schedule=constant").exitCode());
    VqRun resumed = VqRun.of("train-prior", "resume=" + stopped, "prior.trainer.max_steps=8");
    assertEquals(0, resumed.exitCode(), resumed.err());
    byte[] x = parametersAndOptimiser(straight.resolve("checkpoints/prior/bottom/step-00000008.ckpt"));
    byte[] y = parametersAndOptimiser(stopped.resolve("checkpoints/prior/bottom/step-00000008.ckpt"));
    assertTrue(x.length > 1000);
    assertArrayEquals(x, y, "prior parameters and optimiser state after 8 steps differ");

    // The final numbers, per level: bits = nats / ln 2, log2 K = 5 for K = 32.
    Map<String, Double> last = new java.util.HashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(straight.resolve("metrics.jsonl"))) {
      JsonNode m = json.readTree(line);
      last.put(m.get("name").asText(), m.get("value").asDouble());
    }
    assertEquals(5.0, last.get("prior/bottom/log2_k"), 1e-12);
    assertEquals(last.get("prior/bottom/test/nats_per_code") / Math.log(2),
        last.get("prior/bottom/test/bits_per_code"), 1e-9);
    assertTrue(last.containsKey("prior/bottom/train/bits_per_code"), last.keySet().toString());
    assertTrue(last.get("prior/bottom/unigram_bits_per_code") < 5.0, last.toString());
    assertTrue(Files.size(straight.resolve("figures/prior_bottom_losses.png")) > 1000);
  }

  @Test
  void fastAndPlainSamplersDrawTheSameCodes() throws Exception {
    Path dir = copyRun("sampled");
    assertEquals(0, vq("train-prior", dir, PRIOR, "prior.trainer.max_steps=4").exitCode());
    VqRun plain = vq("sample", dir, List.of(), "n=6", "sampler=plain", "sample.seed=5");
    assertEquals(0, plain.exitCode(), plain.err());
    long[][] plainCodes = sampleCodes(dir);
    BufferedImage png = ImageIO.read(dir.resolve("samples/samples.png").toFile());
    // 6 samples, ceil(sqrt(6)) = 3 per row: 3 x (28 + 2) + 2 wide, 2 x 30 + 2 high.
    assertEquals(92, png.getWidth());
    assertEquals(62, png.getHeight());
    VqRun fast = vq("sample", dir, List.of(), "n=6", "sampler=fast", "sample.seed=5");
    assertEquals(0, fast.exitCode(), fast.err());
    assertArrayEquals(plainCodes, sampleCodes(dir));
    // Labels -1: rows of the grid get classes 0, 1.
    try (CodeStore s = CodeStore.open(dir.resolve("samples/codes.vqc"))) {
      assertEquals(List.of(0, 0, 0, 1, 1, 1), java.util.stream.LongStream.range(0, 6)
          .mapToObj(i -> s.item(i).label()).toList());
    }
    VqRun other = vq("sample", dir, List.of(), "n=6", "sample.seed=6", "label=3");
    assertEquals(0, other.exitCode(), other.err());
    assertNotEquals(Arrays.deepToString(plainCodes), Arrays.deepToString(sampleCodes(dir)));
  }

  private static long[][] sampleCodes(Path dir) throws IOException {
    try (CodeStore s = CodeStore.open(dir.resolve("samples/codes.vqc"))) {
      long[][] all = new long[(int) s.size()][];
      for (int i = 0; i < all.length; i++) {
        all[i] = s.item(i).levels()[0];
      }
      return all;
    }
  }

  @Test
  void missingPartsFailNamingTheDirectoryAndTheCommand() throws Exception {
    Path dir = copyRun("no_prior");
    VqRun sample = vq("sample", dir, List.of());
    assertEquals(1, sample.exitCode(), sample.err());
    assertTrue(sample.err().contains("no prior for level bottom in " + dir.resolve("checkpoints/prior/bottom")),
        sample.err());
    assertTrue(sample.err().contains("vq train-prior run=" + dir), sample.err());

    Path untrained = out.resolve("untrained");
    Files.createDirectories(untrained);
    Files.copy(run.resolve("config.conf"), untrained.resolve("config.conf"));
    VqRun encode = vq("encode", untrained, List.of());
    assertEquals(1, encode.exitCode(), encode.err());
    assertTrue(encode.err().contains("no trained autoencoder in " + untrained.resolve("checkpoints/train")),
        encode.err());
    assertTrue(encode.err().contains("vq train"), encode.err());
    VqRun prior = vq("train-prior", untrained, List.of());
    assertEquals(1, prior.exitCode(), prior.err());
  }

  @Test
  void everyCheckpointCorruptIsNamedNotTakenForAnUntrainedRun() throws Exception {
    Path dir = copyRun("all_corrupt");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir.resolve("checkpoints/train"))) {
      files = s.filter(p -> p.toString().endsWith(".ckpt")).sorted().toList();
    }
    assertTrue(files.size() >= 2, files.toString());
    for (Path f : files) {
      try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
        raf.setLength(raf.length() / 2);
      }
    }
    VqRun encode = vq("encode", dir, List.of());
    assertEquals(1, encode.exitCode(), encode.err());
    assertTrue(encode.err().contains("no intact autoencoder checkpoint in " + dir.resolve("checkpoints/train")
        + ": every checkpoint there is corrupt (bad magic, version or CRC): "), encode.err());
    for (Path f : files) {
      assertTrue(encode.err().contains(f.toString()), f + " not named in: " + encode.err());
    }
    assertTrue(!encode.err().contains("run `vq train` first"), encode.err());
  }

  /** Runs {@code vq} in its own JVM, as a user would from the shell; returns exit code and stderr. */
  private static VqRun shell(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Dvqlab.home=" + System.getProperty("vqlab.home"), "-cp", System.getProperty("java.class.path"),
        Vq.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    return new VqRun(p.waitFor(), "", err);
  }

  @Test
  void anExpectedErrorPrintsItsMessageAndKeepsTheTraceInTheLog() throws Exception {
    Path dir = copyRun("truncated_codes");
    Path codes = dir.resolve("codes/train.vqc");
    try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(codes.toFile(), "rw")) {
      raf.setLength(raf.length() - 100);
    }
    VqRun prior = shell("train-prior", "run=" + dir, "prior.trainer.max_steps=2");
    assertEquals(1, prior.exitCode(), prior.err());
    assertTrue(prior.err().contains("error: " + codes), prior.err());
    assertTrue(prior.err().contains("truncated or corrupt; encode again"), prior.err());
    for (String line : prior.err().split("\\R")) {
      assertTrue(!line.startsWith("\tat ") && !line.contains("Exception"), "a stack trace on the console: "
          + prior.err());
    }
    String log = Files.readString(dir.resolve("log.txt"));
    assertTrue(log.contains("java.io.IOException: " + codes) && log.contains("\tat org.vqlab."), log);
  }

  /** A checkpoint after its JSON header: parameters and Adam state (CRC excluded). */
  static byte[] parametersAndOptimiser(Path ckpt) throws IOException {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(ckpt))) {
      in.readFully(new byte[9]);
      in.readInt();
      in.readLong();
      in.readFully(new byte[in.readInt()]);
      byte[] rest = in.readAllBytes();
      return Arrays.copyOf(rest, rest.length - 8);
    }
  }
}
