package org.example.perclass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.Section;
import org.vqlab.core.metric.MetricResult;

/** The shipped section binds with its defaults, and the reported values are the closed forms. */
class PerClassErrorTest {

  /** eval.per_class_error as the plugin ships it, with HOCON overrides. */
  private static Section section(String overrides) {
    return new Section("eval.per_class_error", ConfigFactory.parseString(overrides).withFallback(
        ConfigFactory.parseResources("config/sections/eval/per_class_error.conf",
            ConfigParseOptions.defaults().setAllowMissing(false))).resolve());
  }

  @Test
  void shippedDefaultsAndInvalidValuesNameTheKey() {
    assertEquals(new PerClassErrorConfig(List.of(), 10), section("").bind(PerClassErrorConfig.class));
    ConfigError typo = assertThrows(ConfigError.class, () -> section("min_item = 3").bind(PerClassErrorConfig.class));
    assertTrue(typo.getMessage().contains("eval.per_class_error.min_item"), typo.getMessage());
    ConfigError bad = assertThrows(ConfigError.class, () -> section("min_items = 0").bind(PerClassErrorConfig.class));
    assertTrue(bad.getMessage().contains("min_items"), bad.getMessage());
  }

  @Test
  void valuesAreTheClosedFormsOfTheSumsAndCounts() {
    PerClassError metric = (PerClassError) new PerClassErrorFactory().create(
        section("class_names = [shirt, trouser, bag]"));
    // Per-image MSE summed per class, and items per class: bag has fewer than min_items.
    MetricResult r = metric.result(new double[] {0.2, 0.9, 0.3}, new double[] {20, 30, 5});
    assertEquals(0.01, r.values().get("per_class_error/mse/shirt").value(), 1e-12);
    assertEquals(0.03, r.values().get("per_class_error/mse/trouser").value(), 1e-12);
    assertTrue(r.missing().get("per_class_error/mse/bag").startsWith("5 test items"), r.missing().toString());
    assertEquals(0.03, r.values().get("per_class_error/worst").value(), 1e-12);
    assertEquals(0.01, r.values().get("per_class_error/best").value(), 1e-12);
    assertEquals(3.0, r.values().get("per_class_error/worst_over_best").value(), 1e-9);
    // The item-weighted mean counts every item, the sparse class's too: the split's MSE.
    assertEquals(1.4 / 55, r.values().get("per_class_error/mean").value(), 1e-12);
    assertTrue(r.values().get("per_class_error/worst").definition().contains("trouser"));
  }

  @Test
  void unnamedClassesAreNumbered() {
    MetricResult r = new PerClassError(new PerClassErrorConfig(List.of(), 1))
        .result(new double[] {1, 4}, new double[] {1, 2});
    assertEquals(2.0, r.values().get("per_class_error/mse/class_1").value(), 1e-12);
    assertEquals(5.0 / 3, r.values().get("per_class_error/mean").value(), 1e-12);
  }
}
