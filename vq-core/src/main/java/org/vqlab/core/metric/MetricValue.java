package org.vqlab.core.metric;

/**
 * One reported number, its unit (may be empty) and what it means (the report prints the
 * definition beside it).
 */
public record MetricValue(double value, String unit, String definition) {
  public MetricValue(double value, String definition) {
    this(value, "", definition);
  }
}
