package org.vqlab.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vqlab.core.metric.MetricResult;
import org.vqlab.core.metric.MetricValue;

/**
 * A run's evaluation: every metric's values (each with its unit and definition), what could not
 * be computed and why, the figures (paths relative to the run directory), the evaluation settings,
 * the resolved config and the run's provenance. {@code report.json} is this record as JSON.
 *
 * @param name the experiment name
 * @param run the run directory
 * @param created when the report was made (ISO-8601)
 * @param evaluation settings and counts of the evaluation (batch size, items, seed, checkpoint)
 * @param metrics each metric plugin's result, in the order of {@code eval.metrics}
 * @param missing parts of the run that are absent, each with the reason and the command
 * @param figures every figure of the report, relative to the run directory
 */
public record EvaluationReport(String name, String run, String created,
    Map<String, Object> evaluation, Map<String, MetricResult> metrics, Map<String, String> missing,
    List<String> figures, JsonNode config, JsonNode provenance) {
  public static final String FORMAT = "vqlab-report/1";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  public EvaluationReport {
    evaluation = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evaluation));
    metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    missing = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(missing));
    figures = List.copyOf(figures);
  }

  /** Every value of every metric, by its full name, in report order. */
  public Map<String, MetricValue> values() {
    Map<String, MetricValue> all = new LinkedHashMap<>();
    metrics.values().forEach(r -> all.putAll(r.values()));
    return all;
  }

  public JsonNode toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("format", FORMAT);
    root.put("name", name);
    root.put("run", run);
    root.put("created", created);
    root.set("evaluation", JSON.valueToTree(evaluation));
    ObjectNode ms = root.putObject("metrics");
    metrics.forEach((metric, result) -> {
      ObjectNode m = ms.putObject(metric);
      ObjectNode values = m.putObject("values");
      result.values().forEach((key, v) -> {
        ObjectNode n = values.putObject(key);
        if (Double.isFinite(v.value())) {
          n.put("value", v.value());
        } else {
          n.put("value", Double.toString(v.value()));
        }
        n.put("unit", v.unit());
        n.put("definition", v.definition());
      });
      m.set("missing", JSON.valueToTree(result.missing()));
      m.set("figures", JSON.valueToTree(result.figures().stream().map(Path::toString).toList()));
    });
    root.set("missing", JSON.valueToTree(missing));
    root.set("figures", JSON.valueToTree(figures));
    root.set("config", config == null ? JsonNodeFactory.instance.nullNode() : config);
    root.set("provenance", provenance == null ? JsonNodeFactory.instance.nullNode() : provenance);
    return root;
  }

  public byte[] toJsonBytes() throws IOException {
    return JSON.writeValueAsBytes(toJson());
  }

  /** Reads a report.json; an unreadable or foreign file is an IOException naming it. */
  public static EvaluationReport read(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IOException(file + " is not a VQLab report (format " + FORMAT + ")");
    }
    Map<String, MetricResult> metrics = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("metrics").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> m = it.next();
      Map<String, MetricValue> values = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> vs = m.getValue().path("values").fields();
          vs.hasNext(); ) {
        Map.Entry<String, JsonNode> v = vs.next();
        JsonNode value = v.getValue().path("value");
        values.put(v.getKey(), new MetricValue(value.isNumber() ? value.asDouble()
            : Double.parseDouble(value.asText()), v.getValue().path("unit").asText(),
            v.getValue().path("definition").asText()));
      }
      List<Path> figures = new ArrayList<>();
      m.getValue().path("figures").forEach(f -> figures.add(Path.of(f.asText())));
      metrics.put(m.getKey(), new MetricResult(values, figures, strings(m.getValue().path("missing"))));
    }
    List<String> figures = new ArrayList<>();
    root.path("figures").forEach(f -> figures.add(f.asText()));
    @SuppressWarnings("unchecked")
    Map<String, Object> evaluation = JSON.convertValue(root.path("evaluation"), LinkedHashMap.class);
    return new EvaluationReport(root.path("name").asText(), root.path("run").asText(),
        root.path("created").asText(), evaluation == null ? Map.of() : evaluation, metrics,
        strings(root.path("missing")), figures, root.get("config"), root.get("provenance"));
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
