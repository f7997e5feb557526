package org.vqlab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.data.Split;
import org.vqlab.core.metric.EvaluationContext;
import org.vqlab.core.metric.Metric;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.core.metric.MetricValue;
import org.vqlab.core.testing.SyntheticImages;

/**
 * What every metric plugin must return. On the run of {@link #context} (by default a tiny model
 * whose numbers are known: {@link UniformPixelModel} with 16 codes and {@link UniformPrior} over
 * 12 random 1 x 12 x 12 test images): at least the values {@link #requiredValues()}; every value
 * named {@code <metric name>/...}, finite, with a unit (possibly empty, never null) and a
 * definition; every missing part named under the metric with a reason, and no name both a value
 * and missing; every figure a file under the run directory; the same values when evaluated
 * twice on the same run (any sampling seeded from {@code EvaluationContext.seed()}). On a run with nothing in it ({@link EvaluationRun#empty}) the metric does not throw and
 * names what it lacks. The name is a plugin name, {@code [a-z0-9_]+}.
 *
 * <p>Extend it with {@link #create()} returning the metric as its factory builds it; override
 * {@link #context} when the metric needs another kind of run (clips, a video prior, ...).
 */
public abstract class MetricContract {
  protected NDManager manager;
  @TempDir
  protected Path runDirectory;

  /** The metric under test. */
  protected abstract Metric create();

  /** Values the metric must produce on {@link #context}; none by default. */
  protected Set<String> requiredValues() {
    return Set.of();
  }

  /** The run the metric is evaluated on; see the class comment for the default. */
  protected EvaluationContext context(NDManager manager, Path runDirectory) {
    SyntheticImages test = new SyntheticImages(Split.TEST, 12, new Shape(1, 12, 12), 3);
    return new EvaluationRun(runDirectory, manager, new ParameterStore(manager, false),
        Optional.of(new UniformPixelModel(16)), Optional.of(test),
        List.of(Optional.of(new UniformPrior(16))), Optional.empty(), 5, 0, 7,
        Map.of());
  }

  @BeforeEach
  void openManager() {
    Engine.getInstance().setRandomSeed(41);
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void nameIsAPluginName() {
    String name = create().name();
    assertTrue(name.matches("[a-z0-9_]+"), "metric name '" + name + "'");
  }

  @Test
  void valuesAreFiniteNamedDefinedAndReproducible() {
    Metric metric = create();
    EvaluationContext run = context(manager, runDirectory);
    MetricResult first = metric.evaluate(run);
    checkWellFormed(metric, first);
    assertFalse(first.values().isEmpty(), "no values on the tiny run; missing: " + first.missing());
    for (String required : requiredValues()) {
      assertTrue(first.values().containsKey(required), required + " not reported; missing: "
          + first.missing().getOrDefault(required, "(not named)") + "; values: "
          + first.values().keySet());
    }
    MetricResult second = create().evaluate(run);
    assertEquals(first.values().keySet(), second.values().keySet());
    for (Map.Entry<String, MetricValue> e : first.values().entrySet()) {
      assertEquals(e.getValue().value(), second.values().get(e.getKey()).value(),
          1e-9 * Math.max(1, Math.abs(e.getValue().value())), e.getKey() + " evaluated twice");
    }
  }

  @Test
  void anEmptyRunIsNamedNotThrown() {
    Metric metric = create();
    MetricResult result = metric.evaluate(EvaluationRun.empty(runDirectory, manager));
    checkWellFormed(metric, result);
    assertFalse(result.missing().isEmpty(), "a run with nothing in it must name what is missing");
  }

  private void checkWellFormed(Metric metric, MetricResult result) {
    String name = metric.name();
    for (Map.Entry<String, MetricValue> e : result.values().entrySet()) {
      String key = e.getKey();
      MetricValue v = e.getValue();
      assertTrue(key.startsWith(name + "/"), "value " + key + " not under " + name + "/");
      assertTrue(Double.isFinite(v.value()), key + " = " + v.value());
      assertTrue(v.unit() != null, key + " has a null unit (use \"\" for none)");
      assertTrue(v.definition() != null && !v.definition().isBlank(), key + " has no definition");
      assertFalse(result.missing().containsKey(key), key + " is both a value and missing");
    }
    for (Map.Entry<String, String> e : result.missing().entrySet()) {
      assertTrue(e.getKey().equals(name) || e.getKey().startsWith(name + "/"),
          "missing " + e.getKey() + " not under " + name);
      assertTrue(e.getValue() != null && !e.getValue().isBlank(), e.getKey() + " has no reason");
    }
    for (Path figure : result.figures()) {
      assertTrue(figure.toAbsolutePath().normalize().startsWith(
          runDirectory.toAbsolutePath().normalize()), figure + " outside the run directory");
      assertTrue(Files.isRegularFile(figure), figure + " not written");
    }
  }
}
