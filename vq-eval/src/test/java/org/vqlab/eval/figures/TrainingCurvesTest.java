package org.vqlab.eval.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training figure: which panel each quantity lands in, and when a panel is log-scaled. */
class TrainingCurvesTest {
  @TempDir
  Path dir;

  private static TrainingCurves.Series series(double... values) {
    List<Double> steps = new java.util.ArrayList<>();
    List<Double> v = new java.util.ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      steps.add((double) (i + 1));
      v.add(values[i]);
    }
    return new TrainingCurves.Series(steps, v);
  }

  /** The metrics the autoencoder stage logs, with their typical sizes. */
  private static Map<String, TrainingCurves.Series> autoencoderMetrics() {
    Map<String, TrainingCurves.Series> m = new LinkedHashMap<>();
    m.put("train/loss", series(2.5, 2.4));
    m.put("train/recon_loss", series(2.49, 2.39));
    m.put("train/mse", series(0.05, 0.04));
    m.put("train/commitment_loss", series(2e-6, 3e-6));
    m.put("train/codebook_loss", series(1e-4, 2e-4));
    m.put("train/perplexity/bottom", series(20, 22));
    m.put("train/codes_used/bottom", series(30, 32));
    m.put("train/learning_rate", series(3e-4, 3e-4));
    m.put("train/grad_norm", series(1.5, 0.9));
    m.put("train/seconds_per_step", series(0.1, 0.1));
    m.put("eval/loss", series(2.6));
    m.put("eval/commitment_loss", series(2e-6));
    m.put("eval/pass_perplexity/bottom", series(21));
    return m;
  }

  @Test
  void eachQuantityGroupHasItsOwnPanel() {
    Map<String, Map<String, TrainingCurves.Series>> panels = TrainingCurves.panels(autoencoderMetrics());
    assertEquals(List.of("total and reconstruction losses", "codebook and commitment losses",
        "perplexity and codes used", "learning rate and gradient norm"), List.copyOf(panels.keySet()));
    assertEquals(List.of("train/loss", "train/recon_loss", "train/mse", "eval/loss"),
        List.copyOf(panels.get("total and reconstruction losses").keySet()));
    assertEquals(List.of("train/commitment_loss", "train/codebook_loss", "eval/commitment_loss"),
        List.copyOf(panels.get("codebook and commitment losses").keySet()));
    assertEquals(List.of("train/perplexity/bottom", "train/codes_used/bottom", "eval/pass_perplexity/bottom"),
        List.copyOf(panels.get("perplexity and codes used").keySet()));
    assertEquals(List.of("train/learning_rate", "train/grad_norm"),
        List.copyOf(panels.get("learning rate and gradient norm").keySet()));
    // Timing is not a training curve.
    assertFalse(TrainingCurves.PLOTTED.test("train/seconds_per_step"));
  }

  @Test
  void logScaleOnlyWhereValuesSpanDecades() {
    Map<String, Map<String, TrainingCurves.Series>> panels = TrainingCurves.panels(autoencoderMetrics());
    // 0.04 .. 2.6: a factor 65, under two decades.
    assertFalse(TrainingCurves.logScale(panels.get("total and reconstruction losses")));
    // 2e-6 .. 2e-4: two decades.
    assertTrue(TrainingCurves.logScale(panels.get("codebook and commitment losses")));
    assertFalse(TrainingCurves.logScale(panels.get("perplexity and codes used")));
    // 3e-4 .. 1.5.
    assertTrue(TrainingCurves.logScale(panels.get("learning rate and gradient norm")));
    // A zero (no dead code, an unused term) rules a log axis out.
    assertFalse(TrainingCurves.logScale(Map.of("a", series(0, 1e-3, 10))));
    assertTrue(TrainingCurves.isEval("prior/top/eval/loss") && !TrainingCurves.isEval("train/loss"));
  }

  @Test
  void figureHoldsTwoPanelsPerRow() throws Exception {
    Path png = dir.resolve("train_losses.png");
    TrainingCurves.writePanels(png, "train", autoencoderMetrics());
    BufferedImage four = ImageIO.read(png.toFile());
    Map<String, TrainingCurves.Series> two = new LinkedHashMap<>();
    two.put("train/loss", series(2.5, 2.4));
    two.put("train/grad_norm", series(1.5, 0.9));
    Path small = dir.resolve("prior_losses.png");
    TrainingCurves.writePanels(small, "prior", two);
    BufferedImage pair = ImageIO.read(small.toFile());
    assertEquals(four.getWidth(), pair.getWidth());
    assertEquals(2 * pair.getHeight(), four.getHeight());
  }
}
