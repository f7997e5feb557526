package org.vqlab.core.data;

import ai.djl.ndarray.types.Shape;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;

/** Entry points for stages that need a dataset. */
public final class VqDatasets {
  private VqDatasets() {}

  /** The dataset the section's {@code type} names, for {@code split}; not yet prepared. */
  public static VqDataset create(PluginRegistry registry, Section section, Split split) {
    DatasetFactory factory = registry.factory(PluginKind.DATASET, section);
    return factory.create(section, split);
  }

  /**
   * Checks that a model which downsamples by {@code factor} (e.g. 4 for two stride-2 levels) can
   * divide the height and width of {@code itemShape} ((C, H, W) or (C, T, H, W)) evenly.
   */
  public static void checkDownsampling(Shape itemShape, int factor, String datasetName) {
    if (factor <= 0) {
      throw new ConfigError("downsampling factor must be positive, got " + factor);
    }
    int d = itemShape.dimension();
    if (d < 3) {
      throw new ConfigError("dataset '" + datasetName + "' has items of shape " + itemShape
          + ", expected (C, H, W) or (C, T, H, W)");
    }
    long h = itemShape.get(d - 2);
    long w = itemShape.get(d - 1);
    if (h % factor != 0 || w % factor != 0) {
      throw new ConfigError("dataset '" + datasetName + "' has images of " + h + " x " + w
          + ", which the model cannot downsample evenly by a factor of " + factor
          + " (expected height and width divisible by " + factor + "; set dataset.size / "
          + "dataset.frame_size to a multiple of " + factor + ", e.g. " + roundUp(Math.max(h, w), factor)
          + ", or use fewer downsampling levels)");
    }
  }

  private static long roundUp(long v, int f) {
    return (v + f - 1) / f * f;
  }
}
