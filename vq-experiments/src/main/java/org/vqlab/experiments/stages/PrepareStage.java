package org.vqlab.experiments.stages;

import ai.djl.training.util.ProgressBar;
import org.vqlab.core.config.Section;
import org.vqlab.core.data.DatasetFactory;
import org.vqlab.core.data.Split;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.experiments.run.Launch;

/**
 * Locates or downloads the configured dataset for both splits and logs its size and pixel
 * statistics (mean and standard deviation of the 8-bit values over the first 10000 items).
 */
public final class PrepareStage implements Launch.StageBody {
  @Override
  public void run(Launch launch) throws Exception {
    Section section = launch.section("dataset");
    DatasetFactory factory = launch.registry().factory(PluginKind.DATASET, section);
    for (Split split : Split.values()) {
      VqDataset data = factory.create(section, split);
      data.prepare(new ProgressBar());
      String prefix = "dataset/" + split.name().toLowerCase() + "/";
      launch.tracking().logMetric(prefix + "size", data.size(), 0);
      long n = Math.min(data.size(), 10000);
      double sum = 0;
      double sq = 0;
      long count = 0;
      for (long i = 0; i < n; i++) {
        for (byte b : data.rawItem(i)) {
          int v = b & 0xff;
          sum += v;
          sq += (double) v * v;
          count++;
        }
      }
      double mean = sum / count;
      launch.tracking().logMetric(prefix + "pixel_mean", mean, 0);
      launch.tracking().logMetric(prefix + "pixel_std", Math.sqrt(Math.max(0, sq / count - mean * mean)), 0);
    }
  }
}
