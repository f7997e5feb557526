package org.vqlab.eval.metrics;

/** {@code eval.codebook_usage}: no keys yet; bound so that a typo there is still an error. */
public record CodebookUsageConfig() {}
