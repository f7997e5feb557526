package org.vqlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.AutoencoderOutput;
import org.vqlab.models.testing.ModelFixtures;

class ModelShapesTest {
  private static final String SMALL = "channels = 8, residual_channels = 4, residual_blocks = 1";
  private static final int BATCH = 2;

  /** Every (model, levels, size, channels, factor) whose top level divides the image. */
  static Stream<Arguments> supported() {
    List<Arguments> cases = new ArrayList<>();
    for (int size : new int[] {28, 32}) {
      for (int channels : new int[] {1, 3}) {
        for (int f : new int[] {2, 4, 8}) {
          for (String type : new String[] {"vqvae", "vae"}) {
            if (size % f == 0) {
              cases.add(Arguments.of(type, 1, size, channels, f));
            }
          }
          for (int levels : new int[] {2, 3}) {
            if (size % ((long) f << (levels - 1)) == 0) {
              cases.add(Arguments.of("vqvae2", levels, size, channels, f));
            }
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} L={1} {2}x{2}x{3} downsample={4}")
  @MethodSource("supported")
  void shapesOfEveryOutput(String type, int levels, int size, int channels, int f) {
    String overrides = SMALL + ", downsample = " + f + (type.equals("vqvae2") ? ", levels = " + levels : "")
        + (type.equals("vae") ? ", latent_dim = 5" : "");
    Shape image = new Shape(channels, size, size);
    try (NDManager manager = NDManager.newBaseManager()) {
      Autoencoder model = ModelFixtures.initialized(manager, type, overrides,
          ModelFixtures.quantizerSection(16, 6), image, BATCH);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray x = manager.randomUniform(-0.5f, 0.5f, new Shape(BATCH, channels, size, size));
      AutoencoderOutput out = model.compute(ps, x, false);
      assertEquals(x.getShape(), out.reconstruction().getShape());
      assertEquals(new Shape(), out.loss().getShape());
      for (var term : out.terms().entrySet()) {
        assertEquals(new Shape(), term.getValue().getShape(), term.getKey());
        assertEquals(DataType.FLOAT32, term.getValue().getDataType(), term.getKey());
      }
      assertEquals(BATCH, model.logLikelihood(ps, x, new NDList(model.encodeCodes(ps, x))).size());
      if (type.equals("vae")) {
        assertTrue(out.terms().keySet().containsAll(List.of("loss", "recon_loss", "mse", "kl", "elbo")));
        assertTrue(model.encodeCodes(ps, x).isEmpty());
        NDArray z = manager.randomNormal(new Shape(BATCH, 5, size / f, size / f));
        assertEquals(x.getShape(), model.decodeCodes(ps, new NDList(z)).getShape());
        return;
      }
      List<NDArray> codes = model.encodeCodes(ps, x);
      assertEquals(levels, codes.size());
      assertEquals(levels, model.quantizers().size());
      List<String> names = org.vqlab.core.model.CodeLevels.names(levels);
      for (int i = 0; i < levels; i++) {
        // Top first: level i from the top is at 1/(f * 2^(levels - 1 - i)).
        long side = size / ((long) f << (levels - 1 - i));
        assertEquals(new Shape(BATCH, side, side), codes.get(i).getShape());
        assertTrue(out.terms().containsKey("perplexity/" + names.get(i)));
        assertTrue(out.terms().containsKey("codes_used/" + names.get(i)));
      }
      assertEquals(x.getShape(), model.decodeCodes(ps, new NDList(codes)).getShape());
      // Decoding the codes of an image reproduces the reconstruction of the same pass.
      NDArray again = model.decodeCodes(ps, new NDList(codes));
      assertTrue(again.sub(out.reconstruction()).abs().max().getFloat() < 1e-5f);
    }
  }

  @Test
  void levelsNamedTopFirst() {
    assertEquals(List.of("top", "bottom"), org.vqlab.core.model.CodeLevels.names(2));
    assertEquals(List.of("top", "middle", "bottom"), org.vqlab.core.model.CodeLevels.names(3));
    assertEquals(List.of("level3", "level2", "level1", "level0"), org.vqlab.core.model.CodeLevels.names(4));
  }

  @Test
  void sizeThatDoesNotDivideIsAConfigErrorNamingTheKeyAndSize() {
    ConfigError e = assertThrows(ConfigError.class, () -> ModelFixtures.build("vqvae",
        SMALL + ", downsample = 8", ModelFixtures.quantizerSection(16, 6), new Shape(1, 28, 28)));
    assertTrue(e.getMessage().contains("model.downsample=8"), e.getMessage());
    assertTrue(e.getMessage().contains("28 x 28"), e.getMessage());
    assertTrue(e.getMessage().contains("[2, 4]"), e.getMessage());
    ConfigError e2 = assertThrows(ConfigError.class, () -> ModelFixtures.build("vqvae2",
        SMALL, ModelFixtures.quantizerSection(16, 6), new Shape(1, 28, 28)));
    assertTrue(e2.getMessage().contains("model.downsample=4 with model.levels=2 (top level at 1/8)"),
        e2.getMessage());
    assertTrue(e2.getMessage().contains("[2]"), e2.getMessage());
  }

  @Test
  void wrongDownsampleOrLevelsAreConfigErrorsNamingTheKey() {
    ConfigError e = assertThrows(ConfigError.class, () -> ModelFixtures.build("vqvae",
        "downsample = 3", ModelFixtures.quantizerSection(16, 6), new Shape(1, 24, 24)));
    assertTrue(e.getMessage().contains("model.downsample must be a power of two"), e.getMessage());
    ConfigError e2 = assertThrows(ConfigError.class, () -> ModelFixtures.build("vqvae2",
        "levels = 1", ModelFixtures.quantizerSection(16, 6), new Shape(1, 32, 32)));
    assertTrue(e2.getMessage().contains("model.levels"), e2.getMessage());
    ConfigError e3 = assertThrows(ConfigError.class, () -> ModelFixtures.build("vqvae2",
        "num_codes = [8]", ModelFixtures.quantizerSection(16, 6), new Shape(1, 32, 32)));
    assertTrue(e3.getMessage().contains("model.num_codes"), e3.getMessage());
  }

  @Test
  void perLevelCodebookSizesOverrideTheQuantizerSection() {
    Autoencoder model = ModelFixtures.build("vqvae2", SMALL + ", levels = 3, num_codes = [8, 16, 32]",
        ModelFixtures.quantizerSection(64, 6), new Shape(1, 32, 32));
    List<Integer> sizes = model.quantizers().stream().map(q -> q.numCodes()).toList();
    assertEquals(List.of(8, 16, 32), sizes);
    Autoencoder plain = ModelFixtures.build("vqvae2", SMALL, ModelFixtures.quantizerSection(64, 6),
        new Shape(1, 32, 32));
    assertEquals(List.of(64, 64), plain.quantizers().stream().map(q -> q.numCodes()).toList());
  }

  @Test
  void likelihoodWithScaleStillReconstructsImageChannels() {
    for (String lik : new String[] {"discretized_logistic", "gaussian"}) {
      String overrides = SMALL + ", likelihood = " + lik + (lik.equals("gaussian") ? ", learn_scale = true" : "");
      try (NDManager manager = NDManager.newBaseManager()) {
        Autoencoder model = ModelFixtures.initialized(manager, "vqvae", overrides,
            ModelFixtures.quantizerSection(16, 6), new Shape(3, 32, 32), BATCH);
        NDArray x = manager.randomUniform(-0.5f, 0.5f, new Shape(BATCH, 3, 32, 32));
        AutoencoderOutput out = model.compute(new ParameterStore(manager, false), x, false);
        assertEquals(x.getShape(), out.reconstruction().getShape());
        // Negative log-likelihood per dimension of a proper discrete distribution is positive.
        float nllPerDim = out.terms().get("recon_loss").getFloat();
        assertTrue(nllPerDim > 0);
        // log p(x | codes) per image is the same likelihood summed over the 3 * 32 * 32 dims.
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray logLik = model.logLikelihood(ps, x, new NDList(model.encodeCodes(ps, x)));
        assertEquals(-nllPerDim * 3 * 32 * 32, logLik.mean().getFloat(), 1e-3 * 3 * 32 * 32 * nllPerDim);
      }
    }
  }
}
