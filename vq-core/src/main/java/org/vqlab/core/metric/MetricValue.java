package org.vqlab.core.metric;

/** One reported number and what it means (the report prints the definition beside it). */
public record MetricValue(double value, String definition) {}
