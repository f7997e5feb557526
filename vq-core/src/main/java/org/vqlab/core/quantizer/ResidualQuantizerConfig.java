package org.vqlab.core.quantizer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.Section;

/**
 * The {@code quantizer} section for {@code type = residual}: S stages, each a standard or EMA
 * codebook quantizer of the residual the stages before it left.
 *
 * @param numCodes K of every stage
 * @param codeDim D, the input's channel axis
 * @param stages S, the number of stages
 * @param codebook how each stage's codebook learns: ema (moving averages, as {@code type = ema})
 *     or standard (the codebook loss, as {@code type = standard})
 * @param sharedCodebook one codebook for all stages (updated by every stage) instead of one each
 * @param dropout probability that a training step uses only the first k stages, k uniform in
 *     [dropout_min_stages, S] (quantizer dropout, SoundStream); 0 = off
 * @param dropoutMinStages the smallest k that dropout draws
 * @param dropoutSeed seed of the draws; k of step t is a pure function of (seed, t)
 * @param evalStages stages used outside training (encoding, evaluation); 0 = all S
 * @param stage the stages' own options: the keys of {@code type = ema} or {@code type = standard}
 *     except num_codes and code_dim, those of one codebook kind in its subsection {@code ema} /
 *     {@code standard}
 */
public record ResidualQuantizerConfig(int numCodes, int codeDim, int stages, StageCodebook codebook,
    boolean sharedCodebook, double dropout, int dropoutMinStages, long dropoutSeed, int evalStages,
    Section stage) {

  /** How a stage's codebook learns. */
  public enum StageCodebook { EMA, STANDARD }

  public ResidualQuantizerConfig {
    QuantizerChecks.positive("num_codes", numCodes);
    QuantizerChecks.positive("code_dim", codeDim);
    QuantizerChecks.positive("stages", stages);
    QuantizerChecks.notNull("codebook", codebook);
    if (!(dropout >= 0 && dropout <= 1)) {
      throw new IllegalArgumentException("dropout must be a probability in [0, 1], got " + dropout);
    }
    if (dropoutMinStages < 1 || dropoutMinStages > stages) {
      throw new IllegalArgumentException("dropout_min_stages must be in [1, stages = " + stages
          + "], got " + dropoutMinStages);
    }
    if (evalStages < 0 || evalStages > stages) {
      throw new IllegalArgumentException("eval_stages must be in [0, stages = " + stages
          + "] (0 = all), got " + evalStages);
    }
    QuantizerChecks.notNull("stage", stage);
  }

  /** The stages used outside training. */
  public int stagesInEvaluation() {
    return evalStages == 0 ? stages : evalStages;
  }

  /**
   * The section a stage quantizer binds: {@code stage} without the subsections, the chosen
   * codebook kind's subsection merged in, and num_codes / code_dim from this section.
   */
  public Section stageSection() {
    Config raw = stage.config();
    for (String key : new String[] {"num_codes", "code_dim", "type"}) {
      if (raw.hasPath(key)) {
        throw new ConfigError("'" + stage.fullKey(key) + "' (from " + raw.getValue(key).origin()
            .description() + ") is not a stage option: every stage takes num_codes and code_dim"
            + " of the residual quantizer, and 'codebook' chooses ema or standard");
      }
    }
    String chosen = codebook == StageCodebook.EMA ? "ema" : "standard";
    Config own = raw.hasPath(chosen) ? raw.getConfig(chosen) : com.typesafe.config.ConfigFactory.empty();
    Config merged = own.withFallback(raw.withoutPath("ema").withoutPath("standard"))
        .withValue("num_codes", ConfigValueFactory.fromAnyRef(numCodes, "num_codes of the residual quantizer"))
        .withValue("code_dim", ConfigValueFactory.fromAnyRef(codeDim, "code_dim of the residual quantizer"));
    return new Section(stage.path(), merged);
  }
}
