package org.vqlab.core.quantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;

/** Residual VQ: exact chains, straight-through, persistence, decode and reproducible dropout. */
class ResidualVectorQuantizerTest {
  private NDManager manager;
  private ParameterStore ps;

  @BeforeEach
  void setUp() {
    Engine.getInstance().setRandomSeed(3);
    manager = NDManager.newBaseManager();
    ps = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  /** The shipped residual.conf (seed 11) with {@code overrides} (HOCON) on top. */
  static Section section(String overrides) {
    Config shipped = ConfigFactory.parseResources("config/quantizer/residual.conf",
        ConfigParseOptions.defaults().setAllowMissing(false));
    Config root = ConfigFactory.parseString("seed = 11")
        .withFallback(ConfigFactory.parseString(overrides).withFallback(shipped).atKey("quantizer"));
    return new Section("quantizer", root.resolve().getConfig("quantizer"));
  }

  private ResidualVectorQuantizer residual(String overrides, Shape input) {
    ResidualVectorQuantizer q = (ResidualVectorQuantizer) new ResidualQuantizerFactory()
        .create(section(overrides));
    q.initialize(manager, DataType.FLOAT32, input);
    return q;
  }

  /**
   * K = 4 codes (+-a, +-a) per stage with a = 2, 1, 0.5: every point of the grid {+-0.5, +-1.5,
   * +-2.5, +-3.5}^2 is the sum of one code per stage, found greedily (the nearest code matches
   * each coordinate's sign), in dyadic arithmetic without rounding.
   */
  private ResidualVectorQuantizer exact(int evalStages) {
    ResidualVectorQuantizer q = residual("num_codes = 4, code_dim = 2, stages = 3, eval_stages = "
        + evalStages + ", stage { init = uniform, dead_code_threshold = 0 }", new Shape(1, 2));
    float[] scale = {2f, 1f, 0.5f};
    for (int s = 0; s < 3; s++) {
      float a = scale[s];
      QuantizerFixtures.setCodebook((AbstractVectorQuantizer) q.stage(s), manager,
          new float[][] {{-a, -a}, {-a, a}, {a, -a}, {a, a}});
    }
    return q;
  }

  private NDArray grid() {
    float[] v = {-3.5f, -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 3.5f};
    float[][] rows = new float[64][];
    for (int i = 0; i < 64; i++) {
      rows[i] = new float[] {v[i / 8], v[i % 8]};
    }
    return manager.create(rows);
  }

  @Test
  void exactCodebooksReconstructExactlyAndFewerStagesLeaveTheClosedFormError() {
    NDArray z = grid();
    QuantizerOutput out = exact(0).quantize(ps, z, false);
    assertArrayEquals(z.toFloatArray(), out.quantized().toFloatArray(), 0f);
    assertEquals(new Shape(64, 3), out.indices().getShape());
    // z = (3.5, -0.5): stage codes (+2, -2), then (+1, +1) for the residual (1.5, 1.5), then
    // (+0.5, +0.5): codes 2, 3, 3.
    int row = 7 * 8 + 3;
    assertArrayEquals(new long[] {2, 3, 3},
        out.indices().get(new NDIndex("{}, :", row)).toLongArray());
    // All 4 codes of every stage are used: each coordinate's sign is uniform over the grid.
    assertArrayEquals(new float[] {4, 4, 4}, out.perplexity().toFloatArray(), 1e-4f);
    assertArrayEquals(new long[] {4, 4, 4}, out.codesUsed().toLongArray());
    assertArrayEquals(z.toFloatArray(), exact(0).decode(ps, out.indices()).toFloatArray(), 0f);
    // One stage leaves residuals +-0.5, +-1.5 (mean square 1.25), two leave +-0.5 (0.25).
    double[] expected = {1.25, 0.25};
    for (int e = 1; e <= 2; e++) {
      NDArray q = exact(e).quantize(ps, z, false).quantized();
      assertEquals(expected[e - 1], z.sub(q).square().mean().getFloat(), 1e-7, e + " stages");
    }
  }

  @Test
  void straightThroughGradientOfTheSumIsTheIdentity() {
    for (String codebook : List.of("ema", "standard")) {
      ResidualVectorQuantizer q = residual("num_codes = 8, code_dim = 3, stages = 3, codebook = "
          + codebook + ", stage { init = normal, dead_code_threshold = 0 }", new Shape(2, 3, 4, 4));
      NDArray z = manager.randomNormal(new Shape(2, 3, 4, 4));
      z.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(q.quantize(ps, z, true).quantized().sum());
      }
      // One straight-through path for the sum: d/dz sum(quantized) = 1, not the stage count.
      assertArrayEquals(z.onesLike().toFloatArray(), z.getGradient().toFloatArray(), 0f, codebook);

      NDArray z2 = manager.randomNormal(new Shape(2, 3, 4, 4));
      z2.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(q.quantize(ps, z2, true).loss());
      }
      // Every stage's commitment loss reaches the encoder through the residual chain.
      assertTrue(z2.getGradient().abs().sum().getFloat() > 0, codebook);
      if (codebook.equals("standard")) {
        for (int s = 0; s < 3; s++) {
          NDArray e = ((AbstractVectorQuantizer) q.stage(s)).codebook.getArray();
          assertTrue(e.getGradient().abs().sum().getFloat() > 0, "stage " + s + " codebook");
        }
      }
    }
  }

  @Test
  void decodeOfTheIndicesIsTheQuantizedOutputInEveryLayoutAndUnderDropout() {
    // Gradient codebooks: an EMA step moves its codebook after the search, so decoding after the
    // step would see the next step's codebook.
    String options = "num_codes = 16, code_dim = 3, stages = 3, dropout = 1.0, codebook = standard,"
        + " stage { init = normal }";
    for (Shape shape : new Shape[] {new Shape(10, 3), new Shape(2, 3, 4, 5), new Shape(2, 3, 2, 3, 4)}) {
      ResidualVectorQuantizer q = residual(options, shape);
      NDArray z = manager.randomNormal(shape);
      QuantizerOutput eval = q.quantize(ps, z, false);
      assertEquals(shape.get(0), eval.indices().getShape().get(0));
      assertEquals(3, eval.indices().getShape().get(1));
      assertArrayEquals(eval.quantized().toFloatArray(), q.decode(ps, eval.indices()).toFloatArray(),
          1e-5f, shape.toString());
      for (int t = 0; t < 6; t++) {
        QuantizerOutput train = q.quantize(ps, z, true);
        assertArrayEquals(train.quantized().toFloatArray(),
            q.decode(ps, train.indices()).toFloatArray(), 1e-5f, shape + " step " + t);
      }
    }
  }

  @Test
  void dropoutRunsTheDrawnNumberOfStagesReproducibly() {
    String options = "num_codes = 8, code_dim = 2, stages = 4, dropout = 0.5, dropout_min_stages = 2,"
        + " stage { init = normal }";
    ResidualVectorQuantizer a = residual(options, new Shape(1, 2));
    ResidualVectorQuantizer b = residual(options, new Shape(1, 2));
    ResidualVectorQuantizer other = residual(options + ", dropout_seed = 12", new Shape(1, 2));
    int[] histogram = new int[5];
    List<Integer> drawsA = new ArrayList<>();
    List<Integer> drawsOther = new ArrayList<>();
    for (long t = 1; t <= 400; t++) {
      int k = a.stagesAtStep(t);
      assertEquals(k, b.stagesAtStep(t), "step " + t);
      histogram[k]++;
      drawsA.add(k);
      drawsOther.add(other.stagesAtStep(t));
    }
    assertEquals(0, histogram[0] + histogram[1]);
    // P(k = 4) = 0.5 + 0.5 / 3, P(k = 2) = P(k = 3) = 0.5 / 3: 267, 67, 67 of 400 expected.
    assertTrue(histogram[4] > 220 && histogram[4] < 310, java.util.Arrays.toString(histogram));
    assertTrue(histogram[2] > 35 && histogram[3] > 35, java.util.Arrays.toString(histogram));
    assertNotEquals(drawsA, drawsOther);

    NDArray z = manager.randomNormal(new Shape(32, 2));
    int[] stageSteps = new int[4];
    for (long t = 1; t <= 12; t++) {
      QuantizerOutput out = a.quantize(ps, z, true);
      long[] idx = out.indices().toLongArray();
      int ran = 0;
      for (int s = 0; s < 4; s++) {
        boolean used = idx[s] >= 0;
        ran += used ? 1 : 0;
        stageSteps[s] += used ? 1 : 0;
        // A stage either ran for every row or for none.
        NDArray column = out.indices().get(new NDIndex(":, {}", s));
        assertEquals(used ? 32 : 0, column.gte(0L).toType(DataType.INT64, false).sum().getLong());
      }
      assertEquals(a.stagesAtStep(t), ran, "step " + t);
      assertEquals(t, a.steps());
    }
    for (int s = 0; s < 4; s++) {
      assertEquals(stageSteps[s], ((AbstractVectorQuantizer) a.stage(s)).steps(), "stage " + s);
    }
  }

  @Test
  void saveThenLoadGivesIdenticalOutputsAndTheSameDropoutDraws() throws Exception {
    String options = "num_codes = 16, code_dim = 4, stages = 3, dropout = 0.7,"
        + " stage { init = kmeans, kmeans_iterations = 3, dead_code_threshold = 0.5 }";
    Shape input = new Shape(4, 4, 6, 6);
    NDArray train = manager.randomNormal(input);
    ResidualVectorQuantizer original = residual(options, input);
    for (int t = 0; t < 3; t++) {
      original.quantize(ps, train.mul(1 - 0.2 * t), true);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    original.saveParameters(new DataOutputStream(bytes));
    ResidualVectorQuantizer loaded = residual(options, input);
    loaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

    for (String name : original.getParameters().keys()) {
      Parameter p = original.getParameters().get(name);
      assertArrayEquals(p.getArray().toFloatArray(),
          loaded.getParameters().get(name).getArray().toFloatArray(), 0f, name);
    }
    assertEquals(3, loaded.steps());
    assertEquals(original.restarts(), loaded.restarts());
    NDArray test = manager.randomNormal(new Shape(2, 4, 5, 5));
    QuantizerOutput x = original.quantize(ps, test, false);
    QuantizerOutput y = loaded.quantize(ps, test, false);
    assertArrayEquals(x.indices().toLongArray(), y.indices().toLongArray());
    assertArrayEquals(x.quantized().toFloatArray(), y.quantized().toFloatArray(), 0f);
    // Training continues identically: the same dropout draw, the same EMA updates.
    for (int t = 0; t < 3; t++) {
      QuantizerOutput u = original.quantize(ps, test, true);
      QuantizerOutput v = loaded.quantize(ps, test, true);
      assertArrayEquals(u.indices().toLongArray(), v.indices().toLongArray(), "step " + t);
    }
    for (int s = 0; s < 3; s++) {
      assertArrayEquals(original.stage(s).codebook(ps).toFloatArray(),
          loaded.stage(s).codebook(ps).toFloatArray(), 0f, "stage " + s);
    }
  }

  @Test
  void sharedCodebookIsOneQuantizerUpdatedByEveryStage() {
    ResidualVectorQuantizer q = residual("num_codes = 8, code_dim = 2, stages = 3,"
        + " shared_codebook = true, stage { init = normal }", new Shape(1, 2));
    assertSame(q.stage(0), q.stage(2));
    assertEquals(1, q.getChildren().size());
    q.quantize(ps, manager.randomNormal(new Shape(16, 2)), true);
    assertEquals(3, ((AbstractVectorQuantizer) q.stage(0)).steps());
  }

  @Test
  void shippedOptionsBindAndBadValuesNameTheirKey() {
    ResidualQuantizerConfig c = section("").bind(ResidualQuantizerConfig.class);
    assertEquals(512, c.numCodes());
    assertEquals(2, c.stages());
    assertEquals(ResidualQuantizerConfig.StageCodebook.EMA, c.codebook());
    assertEquals(11, c.dropoutSeed());
    assertEquals(2, c.stagesInEvaluation());
    EmaQuantizerConfig ema = c.stageSection().bind(EmaQuantizerConfig.class);
    assertEquals(List.of(512, 64, 0.99, 1e-5, true, CodebookInit.KMEANS, 1.0), List.of(ema.numCodes(),
        ema.codeDim(), ema.decay(), ema.epsilon(), ema.zeroDebias(), ema.init(), ema.deadCodeThreshold()));
    ResidualQuantizerConfig g = section("codebook = standard, stage.standard.usage_decay = 0.9")
        .bind(ResidualQuantizerConfig.class);
    StandardQuantizerConfig standard = g.stageSection().bind(StandardQuantizerConfig.class);
    assertEquals(List.of(512, 0.9, 0.25, CodeDistance.L2, 8192), List.of(standard.numCodes(),
        standard.usageDecay(), standard.commitmentCost(), standard.distance(), standard.chunkSize()));

    ConfigError stages = assertThrows(ConfigError.class,
        () -> section("eval_stages = 3").bind(ResidualQuantizerConfig.class));
    assertTrue(stages.getMessage().contains("eval_stages"), stages.getMessage());
    ConfigError dropout = assertThrows(ConfigError.class,
        () -> section("dropout = 1.5").bind(ResidualQuantizerConfig.class));
    assertTrue(dropout.getMessage().contains("dropout"), dropout.getMessage());
    ConfigError unknown = assertThrows(ConfigError.class,
        () -> new ResidualQuantizerFactory().create(section("stage.decai = 0.9")));
    assertTrue(unknown.getMessage().contains("quantizer.stage.decai"), unknown.getMessage());
    ConfigError k = assertThrows(ConfigError.class,
        () -> new ResidualQuantizerFactory().create(section("stage.num_codes = 8")));
    assertTrue(k.getMessage().contains("quantizer.stage.num_codes"), k.getMessage());

    // One straight-through path carries the sum of the stages: a per-stage rotation is refused.
    for (String codebook : List.of("ema", "standard")) {
      ConfigError rotation = assertThrows(ConfigError.class, () -> new ResidualQuantizerFactory()
          .create(section("codebook = " + codebook + "\nstage.gradient = rotation")));
      assertTrue(rotation.getMessage().contains("quantizer.stage.gradient"), rotation.getMessage());
    }

    Quantizer built = new Quantizers(PluginRegistry.load()).create(section("stages = 3"));
    assertInstanceOf(ResidualVectorQuantizer.class, built);
    assertEquals(3, built.stages());
    assertTrue(PluginRegistry.load().all(PluginKind.QUANTIZER).containsKey("residual"));
  }
}
