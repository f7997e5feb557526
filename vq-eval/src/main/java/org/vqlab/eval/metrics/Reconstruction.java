package org.vqlab.eval.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.metric.EvaluationContext;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.core.metric.MetricValue;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.run.RunLayout;
import org.vqlab.eval.DeviceSum;
import org.vqlab.eval.TestBatches;
import org.vqlab.eval.figures.ImageGrid;

/**
 * Reconstruction quality over the test split, on images mapped to [0, 1] with the dataset's
 * normalisation and reconstructions clipped to that range: MSE, PSNR (peak 1) and SSIM; plus a
 * grid of the first test images over their reconstructions (for video, frame strips: each clip's
 * frames over their reconstructions).
 */
public final class Reconstruction extends TestSplitMetric {
  public static final String NAME = "reconstruction";
  /** The grid, relative to the run directory. */
  public static final String GRID = RunLayout.FIGURES + "/eval/reconstructions.png";
  private final ReconstructionConfig config;

  public Reconstruction(ReconstructionConfig config) {
    super(NAME);
    this.config = config;
  }


  @Override
  protected MetricResult evaluate(EvaluationContext context, Autoencoder model, VqDataset data) {
    PixelNormalization norm = data.normalization();
    double range = norm.high() - norm.low();
    int frames = TestBatches.frames(data);
    Path grid = context.runDirectory().resolve(GRID);
    long[] images = new long[1];
    Shape frame = frameShape(data);
    boolean ssimFits = frame.get(1) >= ImageQuality.WINDOW && frame.get(2) >= ImageQuality.WINDOW;
    // The grid's first items (frames of whole clips for video), kept past their batch's scope.
    long gridFrames = (long) config.gridItems() * frames;
    NDList originals = new NDList();
    NDList reconstructions = new NDList();
    try (NDManager gridScope = context.manager().newSubManager();
        DeviceSum squaredError = new DeviceSum(context.manager());
        DeviceSum ssim = new DeviceSum(context.manager())) {
      TestBatches.forEach(context, data, (scope, x, labels) -> {
        NDArray reconstruction = model.compute(context.parameters(), x, false).reconstruction();
        NDArray x01 = x.sub(norm.low()).div(range);
        NDArray r01 = reconstruction.sub(norm.low()).div(range).clip(0, 1);
        squaredError.add(x01.sub(r01).square());
        if (ssimFits) {
          ssim.add(ImageQuality.ssim(x01, r01));
        }
        long kept = images[0];
        if (kept < gridFrames) {
          long take = Math.min(gridFrames - kept, x.getShape().get(0));
          originals.add(keep(x.get("0:{}", take), gridScope));
          reconstructions.add(keep(reconstruction.get("0:{}", take), gridScope));
        }
        images[0] += x.getShape().get(0);
      });
      writeGrid(grid, NDArrays.concat(originals), NDArrays.concat(reconstructions), norm, frames);
      double mse = squaredError.value() / (images[0] * frame.size());
      Map<String, MetricValue> values = new LinkedHashMap<>();
      Map<String, String> missingValues = new LinkedHashMap<>();
      values.put(NAME + "/mse", new MetricValue(mse, "",
          "mean squared error per pixel value, images and reconstructions in [0, 1]"
              + " (reconstructions clipped to it), over the test split"));
      values.put(NAME + "/psnr", new MetricValue(ImageQuality.psnr(mse), "dB",
          "10 log10(1 / MSE): peak signal-to-noise ratio for a peak of 1, from the split's MSE"));
      if (ssimFits) {
        values.put(NAME + "/ssim", new MetricValue(ssim.value() / images[0], "",
            "structural similarity (Wang et al. 2004; 11 x 11 Gaussian window, sigma 1.5, K1 ="
                + " 0.01, K2 = 0.03, range 1), mean over positions, channels and test images"));
      } else {
        missingValues.put(NAME + "/ssim", "images of " + frame + " are smaller than SSIM's "
            + ImageQuality.WINDOW + " x " + ImageQuality.WINDOW + " window");
      }
      values.put(NAME + "/items", new MetricValue(images[0], "images",
          "test images (frames of clips) the reconstruction metrics are averaged over"));
      return new MetricResult(values, List.of(grid), missingValues);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot evaluate reconstructions", e);
    }
  }

  /** (C, H, W) of one image or frame. */
  private static Shape frameShape(VqDataset data) {
    Shape s = data.itemShape();
    return s.dimension() == 4 ? new Shape(s.get(0), s.get(2), s.get(3)) : s;
  }

  private static NDArray keep(NDArray slice, NDManager scope) {
    NDArray copy = slice.duplicate();
    copy.attach(scope);
    return copy;
  }

  private static void writeGrid(Path file, NDArray x, NDArray reconstruction,
      PixelNormalization norm, int frames) throws IOException {
    long n = x.getShape().get(0);
    if (frames == 1) {
      ImageGrid.writePng(file, List.of(x, reconstruction), norm, (int) n);
      return;
    }
    // Frame strips: rows of T frames, each clip's originals above its reconstructions.
    List<NDArray> rows = new ArrayList<>();
    for (long clip = 0; clip < n / frames; clip++) {
      rows.add(x.get("{}:{}", clip * frames, (clip + 1) * frames));
      rows.add(reconstruction.get("{}:{}", clip * frames, (clip + 1) * frames));
    }
    ImageGrid.writePng(file, rows, norm, frames);
  }
}
