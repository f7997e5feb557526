package org.vqlab.core.quantizer;

import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginFactory;

/** Builds a vector quantizer (kind {@code quantizer}) from a {@code quantizer} config section. */
public interface QuantizerFactory extends PluginFactory {
  Quantizer create(Section section);

  /**
   * The quantizer section with its codebook size set to {@code numCodes}: how a model asks for a
   * codebook size of its own (VQ-VAE-2's per-level {@code model.num_codes}) without knowing the
   * quantizer's keys. {@code requestedBy} names the key that asks (e.g. {@code model.num_codes[0]}).
   *
   * <p>A quantizer with a codebook (one size K, e.g. {@code standard}, {@code ema}) overrides this,
   * typically with {@code section.withValue("num_codes", numCodes, requestedBy)}, and its result is
   * bound and validated like any section. A quantizer without one (a fixed grid such as FSQ or LFQ,
   * whose K follows from its own keys) keeps this default, which rejects the request with a
   * {@link ConfigError} naming the key and the quantizer type. Models call it at validation,
   * before any run directory is created.
   */
  default Section withNumCodes(Section section, int numCodes, String requestedBy) {
    throw new ConfigError(requestedBy + " = " + numCodes + " asks quantizer '" + section.type()
        + "' (" + section.fullKey("type") + ") for a codebook size, but it has no codebook size to"
        + " set; remove " + requestedBy.replaceAll("\\[\\d+\\]$", "")
        + " (set to []) or use a quantizer with a codebook (e.g. quantizer=ema)");
  }
}
