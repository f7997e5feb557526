package org.vqlab.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.vqlab.core.codes.CodeBatch;
import org.vqlab.core.codes.CodeLevel;
import org.vqlab.core.codes.CodeStore;
import org.vqlab.core.codes.CodeStoreHeader;
import org.vqlab.core.codes.CodeStoreWriter;
import org.vqlab.core.quantizer.CodeDistance;
import org.vqlab.core.quantizer.CodebookInit;
import org.vqlab.core.quantizer.QuantizerOutput;
import org.vqlab.core.quantizer.StandardQuantizerConfig;
import org.vqlab.core.quantizer.VectorQuantizer;

/**
 * Frozen fixtures of the two on-disk formats, so that a change of either cannot pass unnoticed:
 * {@code fixtures/quantizer-step1.ckpt}, a checkpoint (format 1) of a standard quantizer (K = 4,
 * D = 2) after one Adam step from a literal codebook, and {@code fixtures/codes.vqc}, a code
 * store (format 1) of three items with two levels (two and four bytes per code). The tests
 * load them and compare every value with literals written here, and continue the checkpoint by
 * one more step (which reads the optimiser state). A format change that is meant must come with
 * a reader of the old version or new fixtures and literals, on purpose.
 *
 * <p>Regenerate (only when the format changes on purpose):
 * {@code mvn -o -q -pl vq-core -am verify -Dtest=FrozenFormatsTest -Dsurefire.failIfNoSpecifiedTests=false -Dvqlab.writeFixtures=true},
 * which rewrites {@code vq-core/src/test/resources/fixtures/}; then update the literals.
 */
class FrozenFormatsTest {
  private static final String CHECKPOINT = "fixtures/quantizer-step1.ckpt";
  private static final String CODES = "fixtures/codes.vqc";
  private static final String HEADER = "{\"fixture\":\"quantizer-step1\",\"format\":1}";
  private static final float[][] CODEBOOK = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  private static final float[][] BATCH = {{0.2f, 0.1f}, {0.9f, 0.2f}, {0.7f, 0.8f}, {0.1f, 0.6f}};
  private static final float[][] NEXT = {{0.6f, 0.3f}, {0.4f, 0.9f}, {1.2f, 1.1f}, {0.0f, 0.2f}};
  private static final List<CodeLevel> LEVELS = List.of(new CodeLevel("top", 8, 1, 2),
      new CodeLevel("bottom", 70000, 2, 2));
  private static final int[] LABELS = {3, 0, 9};
  private static final long[][][] ITEMS = {
      {{1, 7}, {0, 69999, 256, 5}}, {{0, 0}, {1, 2, 3, 4}}, {{7, 6}, {69999, 65536, 0, 255}}};

  // What the fixtures hold (printed by the generator when it wrote them). Adam's first step moves
  // every parameter by lr * sign(gradient): each code 0.1 towards the point assigned to it.
  private static final float[] CODEBOOK_AFTER_STEP_1 = {0.1f, 0.1f, 0.9f, 0.1f, 0.1f, 0.9f, 0.9f,
      0.9f};
  private static final float[] CODEBOOK_AFTER_STEP_2 = {0.12663369f, 0.19999993f, 0.80822194f,
      0.19999996f, 0.19177806f, 0.83299416f, 0.9052631f, 0.9052632f};
  private static final long[] NEXT_INDICES = {1, 2, 3, 0};
  private static final long CHECKPOINT_BYTES = 747;
  private static final long CODES_BYTES = 540;

  private static VectorQuantizer quantizer(NDManager manager) {
    VectorQuantizer q = new VectorQuantizer(new StandardQuantizerConfig(4, 2, 0.25,
        CodebookInit.UNIFORM, 0, CodeDistance.L2, 0, 0.99, 0));
    q.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
    return q;
  }

  private static AdamOptimizer adam(VectorQuantizer q, NDManager manager) {
    List<Parameter> params = new ArrayList<>();
    q.getParameters().forEach(p -> {
      if (p.getValue().requiresGradient()) {
        params.add(p.getValue());
      }
    });
    TrainerConfig c = new TrainerConfig("cpu", 10, 0, 4, 0.1, List.of(0.9, 0.999), 0, 0,
        TrainerConfig.Schedule.CONSTANT, 0, 0, 1, 1, 0, 1, 1);
    return new AdamOptimizer(params, c, manager);
  }

  /** One training step: the quantizer's loss on {@code batch}, backward, Adam. */
  private static void step(VectorQuantizer q, AdamOptimizer adam, NDManager manager, long step,
      float[][] batch) {
    ParameterStore ps = new ParameterStore(manager, false);
    try (NDManager scope = manager.newSubManager()) {
      NDArray z = scope.create(batch);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        QuantizerOutput out = q.quantize(ps, z, true);
        gc.backward(out.loss());
      }
      adam.step(step, scope);
    }
  }

  private static float[] codebook(VectorQuantizer q) {
    return q.getParameters().get("codebook").getArray().toFloatArray();
  }

  @Test
  @EnabledIfSystemProperty(named = "vqlab.writeFixtures", matches = "true")
  void writeFixtures() throws Exception {
    Path dir = Path.of(System.getProperty("vqlab.home", ".."), "vq-core/src/test/resources/fixtures");
    Files.createDirectories(dir);
    try (NDManager manager = NDManager.newBaseManager()) {
      VectorQuantizer q = quantizer(manager);
      q.getParameters().get("codebook").getArray().set(new NDIndex(":"), manager.create(CODEBOOK));
      try (AdamOptimizer adam = adam(q, manager)) {
        step(q, adam, manager, 1, BATCH);
        Path written = new Checkpoints(dir, 1).save(1, HEADER, q, adam, false);
        Files.move(written, dir.resolve("quantizer-step1.ckpt"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("CODEBOOK_AFTER_STEP_1 " + java.util.Arrays.toString(codebook(q)));
        System.out.println("CHECKPOINT_BYTES " + Files.size(dir.resolve("quantizer-step1.ckpt")));
        QuantizerOutput out = q.quantize(new ParameterStore(manager, false),
            manager.create(NEXT), false);
        System.out.println("NEXT_INDICES " + java.util.Arrays.toString(out.indices().toLongArray()));
        step(q, adam, manager, 2, NEXT);
        System.out.println("CODEBOOK_AFTER_STEP_2 " + java.util.Arrays.toString(codebook(q)));
      }
    }
    Path codes = dir.resolve("codes.vqc");
    try (CodeStoreWriter w = CodeStoreWriter.create(codes, new CodeStoreHeader("test",
        ITEMS.length, 1, 10, LEVELS, Map.of("fixture", "frozen formats")))) {
      for (int i = 0; i < ITEMS.length; i++) {
        w.append(LABELS[i], ITEMS[i]);
      }
      w.commit();
    }
    System.out.println("CODES_BYTES " + Files.size(codes));
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(FrozenFormatsTest.class.getClassLoader().getResource(name).toURI());
  }

  @Test
  void theFrozenCheckpointLoadsTheSameValuesAndContinuesTheSame() throws Exception {
    Path file = resource(CHECKPOINT);
    assertEquals(CHECKPOINT_BYTES, Files.size(file), "checkpoint size");
    assertTrue(Checkpoints.verify(file), "magic, version and CRC");
    try (NDManager manager = NDManager.newBaseManager()) {
      VectorQuantizer q = quantizer(manager);
      try (AdamOptimizer adam = adam(q, manager)) {
        Checkpoints.Header header = Checkpoints.load(file, q, adam, manager);
        assertEquals(1, header.step());
        assertEquals(HEADER, header.json());
        assertArrayEquals(CODEBOOK_AFTER_STEP_1, codebook(q), 1e-7f, "codebook");
        assertEquals(1, q.steps(), "the quantizer's step buffer");
        assertEquals(1, adam.updates(), "the optimiser's update count");
        QuantizerOutput out = q.quantize(new ParameterStore(manager, false),
            manager.create(NEXT), false);
        assertArrayEquals(NEXT_INDICES, out.indices().toLongArray(), "codes of the next batch");
        // The second step uses Adam's first and second moments from the file.
        step(q, adam, manager, 2, NEXT);
        assertArrayEquals(CODEBOOK_AFTER_STEP_2, codebook(q), 1e-6f, "codebook after step 2");
      }
    }
  }

  @Test
  void theFrozenCodeStoreReadsTheSameHeaderAndCodes() throws Exception {
    Path file = resource(CODES);
    assertEquals(CODES_BYTES, Files.size(file), "code store size");
    try (CodeStore store = CodeStore.open(file); NDManager manager = NDManager.newBaseManager()) {
      store.verify();
      CodeStoreHeader h = store.header();
      assertEquals("test", h.split());
      assertEquals(3, h.items());
      assertEquals(1, h.frames());
      assertEquals(10, h.numClasses());
      assertEquals(LEVELS, h.levels());
      assertEquals("frozen formats", h.provenance().get("fixture"));
      for (int i = 0; i < ITEMS.length; i++) {
        CodeStore.Item item = store.item(i);
        assertEquals(LABELS[i], item.label(), "label of item " + i);
        for (int l = 0; l < LEVELS.size(); l++) {
          assertArrayEquals(ITEMS[i][l], item.levels()[l], "item " + i + " level " + l);
        }
      }
      assertArrayEquals(new long[] {2, 1, 0, 0, 0, 0, 1, 2}, store.histogram(0));
      CodeBatch batch = store.batch(manager, new long[] {2, 0});
      assertEquals(new Shape(2, 1, 2), batch.level(0).getShape());
      assertEquals(new Shape(2, 2, 2), batch.level(1).getShape());
      assertArrayEquals(new long[] {69999, 65536, 0, 255, 0, 69999, 256, 5}, batch.level(1).toLongArray());
      assertArrayEquals(new long[] {9, 3}, batch.labels().toLongArray());
    }
  }
}
