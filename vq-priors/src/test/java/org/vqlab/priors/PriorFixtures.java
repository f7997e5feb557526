package org.vqlab.priors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Random;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.plugin.PriorFactory;
import org.vqlab.core.prior.PriorContext;

/** Builds priors the way the command line does: config/prior/<type>.conf plus overrides. */
final class PriorFixtures {
  static final PluginRegistry REGISTRY = PluginRegistry.load();

  private PriorFixtures() {}

  static Config priorFile(String type) {
    // The file's `trainer` block is the prior stage's (prior.trainer), not the plugin's.
    return org.vqlab.core.testing.ConfigDirs.resource("prior/" + type + ".conf").withoutPath("trainer");
  }

  static Section section(String overrides) {
    return new Section("prior",
        ConfigFactory.parseString(overrides).withFallback(priorFile("gated_pixelcnn")).resolve());
  }

  /** A gated PixelCNN from the shipped config with overrides, initialised on the manager's device. */
  static GatedPixelCnn prior(NDManager manager, String overrides, PriorContext context) {
    Section s = section(overrides);
    PriorFactory factory = REGISTRY.factory(PluginKind.PRIOR, s);
    GatedPixelCnn prior = (GatedPixelCnn) factory.create(s, context);
    return prior.initialize(manager);
  }

  /** Uniformly random int64 codes in [0, k) of the given shape, from a seed. */
  static NDArray randomCodes(NDManager manager, long seed, int k, long... shape) {
    Random random = new Random(seed);
    long n = new Shape(shape).size();
    long[] values = new long[Math.toIntExact(n)];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextInt(k);
    }
    return manager.create(values, new Shape(shape)).toType(DataType.INT64, false);
  }
}
