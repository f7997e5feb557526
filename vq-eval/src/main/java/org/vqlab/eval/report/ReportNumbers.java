package org.vqlab.eval.report;

import java.util.Locale;

/** How report tables print numbers: counts as integers, everything else to four decimals. */
public final class ReportNumbers {
  private ReportNumbers() {}

  public static String format(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 1e-3 ? "%.4f" : "%.4g", v);
  }

  /** A table cell: pipes and line breaks would break a markdown row. */
  public static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
