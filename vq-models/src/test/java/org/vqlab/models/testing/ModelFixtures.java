package org.vqlab.models.testing;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.vqlab.core.config.Section;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.ModelContext;
import org.vqlab.core.plugin.ModelFactory;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.quantizer.Quantizers;

/** Builds models the way the command line does: the config/model/<type>.conf resource plus overrides. */
public final class ModelFixtures {
  public static final PluginRegistry REGISTRY = PluginRegistry.load();

  private ModelFixtures() {}

  /** The plugin's config/model/<type>.conf resource. */
  public static Config modelFile(String type) {
    return org.vqlab.core.testing.ConfigDirs.resource("model/" + type + ".conf");
  }

  public static Section modelSection(String type, String overrides) {
    return new Section("model",
        ConfigFactory.parseString(overrides).withFallback(modelFile(type)).resolve());
  }

  public static Section quantizerSection(int numCodes, int codeDim) {
    return new Section("quantizer", ConfigFactory.parseString(
        "type = test_nn\nnum_codes = " + numCodes + "\ncode_dim = " + codeDim));
  }

  public static Autoencoder build(String type, String overrides, Section quantizer, Shape image) {
    Section model = modelSection(type, overrides);
    ModelFactory factory = REGISTRY.factory(PluginKind.MODEL, model);
    return factory.create(model, new ModelContext(image, quantizer, new Quantizers(REGISTRY)));
  }

  /** Builds and initialises for (batch, C, H, W) inputs on the manager's device. */
  public static Autoencoder initialized(NDManager manager, String type, String overrides,
      Section quantizer, Shape image, int batch) {
    Autoencoder model = build(type, overrides, quantizer, image);
    model.initialize(manager, DataType.FLOAT32,
        new Shape(batch, image.get(0), image.get(1), image.get(2)));
    return model;
  }
}
