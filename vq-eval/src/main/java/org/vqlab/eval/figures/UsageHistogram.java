package org.vqlab.eval.figures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.vqlab.eval.report.AtomicFiles;

/**
 * A codebook's usage sorted from the most to the least used code, as the share of all assignments:
 * a flat curve is a well-used codebook, a steep one a few codes doing the work, and the tail at
 * zero the dead codes.
 */
public final class UsageHistogram {
  private UsageHistogram() {}

  /** Counts in descending order. */
  public static long[] sorted(long[] histogram) {
    long[] s = histogram.clone();
    Arrays.sort(s);
    for (int i = 0, j = s.length - 1; i < j; i++, j--) {
      long t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
    return s;
  }

  public static void writePng(Path file, String title, long[] histogram) throws IOException {
    System.setProperty("java.awt.headless", "true");
    long[] counts = sorted(histogram);
    long total = Arrays.stream(counts).sum();
    List<Double> rank = new ArrayList<>();
    List<Double> share = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      rank.add((double) i + 1);
      share.add(total == 0 ? 0 : (double) counts[i] / total);
    }
    XYChart chart = new XYChartBuilder().width(900).height(500).title(title)
        .xAxisTitle("code rank (most used first)").yAxisTitle("share of assignments").build();
    chart.getStyler().setLegendVisible(false);
    XYSeries s = chart.addSeries("usage", rank, share);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
    s.setMarker(SeriesMarkers.NONE);
    AtomicFiles.write(file, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(),
        BitmapEncoder.BitmapFormat.PNG), ".png");
  }
}
