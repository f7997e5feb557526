package org.vqlab.core.run;

import java.nio.file.Path;

/**
 * Where each stage puts its outputs in a run directory; every stage and the evaluation read the
 * others' outputs through these paths only.
 *
 * <pre>
 * config.conf, overrides.txt, provenance.json, log.txt, metrics.jsonl   every launch
 * checkpoints/train/                    autoencoder checkpoints (best.ckpt, step-N.ckpt)
 * codes/train.vqc, codes/test.vqc       the code store of each split (vq encode)
 * checkpoints/prior/&lt;level&gt;/           one prior per level, top first (vq train-prior)
 * samples/                              sample grids and their codes (vq sample)
 * figures/                              reconstructions, curves, usage histograms
 * report.json, report.md                the evaluation report (vq eval)
 * </pre>
 */
public final class RunLayout {
  public static final String CONFIG = "config.conf";
  public static final String PROVENANCE = "provenance.json";
  public static final String METRICS = "metrics.jsonl";
  public static final String TRAIN_CHECKPOINTS = "checkpoints/train";
  public static final String CODES = "codes";
  public static final String PRIOR_CHECKPOINTS = "checkpoints/prior";
  public static final String SAMPLES = "samples";
  public static final String FIGURES = "figures";
  public static final String REPORT_JSON = "report.json";
  public static final String REPORT_MD = "report.md";

  private RunLayout() {}

  /** The code store of a split, {@code codes/<split>.vqc}. */
  public static Path codes(Path run, String split) {
    return run.resolve(CODES).resolve(split + ".vqc");
  }

  /** The checkpoints of the prior of one level, {@code checkpoints/prior/<level>}. */
  public static Path priorCheckpoints(Path run, String level) {
    return run.resolve(PRIOR_CHECKPOINTS).resolve(level);
  }
}
