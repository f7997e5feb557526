package org.vqlab.experiments.stages;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.config.Section;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.metric.Metric;
import org.vqlab.core.metric.MetricValue;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.plugin.MetricFactory;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.run.RunLayout;
import org.vqlab.eval.EvalConfig;
import org.vqlab.eval.Evaluation;
import org.vqlab.eval.RunEvaluation;
import org.vqlab.eval.TestBatches;
import org.vqlab.eval.report.EvaluationReport;
import org.vqlab.experiments.run.Launch;
import org.vqlab.experiments.run.RunArtifacts;

/**
 * {@code vq eval run=<dir>}: runs the metric plugins named in {@code eval.metrics} on the run's
 * trained parts and writes {@code report.json}, {@code report.md} and the figures (the previous
 * report is kept, renamed with its time). A part the run lacks (the model, a level's prior, the
 * samples) is named in the report with the command that makes it; everything else is reported.
 * Every number is also logged to the trackers, and the report files as artifacts.
 */
public final class EvalStage implements Launch.StageBody {
  public static final String NAME = "eval";
  private static final Logger LOG = LoggerFactory.getLogger(EvalStage.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  public EvalStage() {}

  @Override
  public void run(Launch launch) throws Exception {
    Section eval = launch.section("eval");
    EvalConfig config = EvalConfig.bind(eval, launch.registry());
    List<Metric> metrics = new ArrayList<>();
    for (String name : config.metrics()) {
      MetricFactory factory = launch.registry().factory(PluginKind.METRIC, name);
      metrics.add(factory.create(eval.child(name)));
    }
    Path run = launch.directory().path();
    Map<String, String> missing = new LinkedHashMap<>();
    RunArtifacts artifacts = null;
    try {
      artifacts = RunArtifacts.open(launch);
    } catch (StageFailure e) {
      missing.put("model", e.getMessage());
    }
    Map<String, Object> evaluation = new LinkedHashMap<>();
    evaluation.put("batch_size", config.batchSize());
    evaluation.put("max_items", config.maxItems());
    evaluation.put("seed", launch.launchConfig().seed());
    evaluation.put("device", launch.device().toString());
    try (NDManager manager = artifacts != null ? artifacts.manager()
        : NDManager.newBaseManager(launch.device())) {
      Optional<Autoencoder> model = Optional.empty();
      Optional<VqDataset> test = Optional.empty();
      List<Optional<CodePrior>> priors = new ArrayList<>();
      if (artifacts != null) {
        model = Optional.of(artifacts.model());
        test = Optional.of(artifacts.test());
        for (int l = 0; l < artifacts.levels().size(); l++) {
          Optional<CodePrior> prior = artifacts.loadPrior(l);
          priors.add(prior);
          if (prior.isEmpty()) {
            String level = artifacts.levels().get(l).name();
            missing.put("prior/" + level, "no trained prior for level " + level + " in "
                + artifacts.priorCheckpoints(l) + ": run `vq train-prior run=" + run + "`");
          }
        }
        evaluation.put("checkpoint", run.relativize(artifacts.checkpoint()).toString());
      }
      Path metricsFile = run.resolve(RunLayout.METRICS);
      RunEvaluation context = new RunEvaluation(run, manager,
          artifacts != null ? artifacts.parameters() : new ai.djl.training.ParameterStore(manager, false),
          model, test, priors, Files.isRegularFile(metricsFile) ? Optional.of(metricsFile)
          : Optional.empty(), config.batchSize(), config.maxItems(), launch.launchConfig().seed(),
          missing);
      test.ifPresent(t -> evaluation.put("items", TestBatches.items(context, t)));
      EvaluationReport report = Evaluation.run(context, metrics, launch.launchConfig().name(),
          evaluation, configJson(launch), provenance(run));
      launch.directory().keepPrevious(RunLayout.REPORT_JSON);
      launch.directory().keepPrevious(RunLayout.REPORT_MD);
      Evaluation.write(report, run);
      track(launch, report);
    }
  }

  private static JsonNode configJson(Launch launch) throws java.io.IOException {
    return JSON.readTree(launch.config().config().root()
        .render(ConfigRenderOptions.concise().setJson(true)));
  }

  private static JsonNode provenance(Path run) throws java.io.IOException {
    Path file = run.resolve(RunLayout.PROVENANCE);
    return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
  }

  /** Every finite number as a metric of this stage, the report and its figures as artifacts. */
  private static void track(Launch launch, EvaluationReport report) {
    Path run = launch.directory().path();
    for (Map.Entry<String, MetricValue> e : report.values().entrySet()) {
      double v = e.getValue().value();
      LOG.info("{} = {} {}", e.getKey(), v, e.getValue().unit());
      if (Double.isFinite(v)) {
        launch.tracking().logMetric(e.getKey(), v, 0);
        // The report's numbers are the launch's headline results: on its own run too.
        launch.tracking().logLaunchMetric(e.getKey(), v);
      }
    }
    report.metrics().forEach((metric, r) -> r.missing().forEach((k, reason) ->
        LOG.warn("{}: not computed: {}", k, reason)));
    report.missing().forEach((part, reason) -> LOG.warn("missing {}: {}", part, reason));
    launch.tracking().logArtifact(run.resolve(RunLayout.REPORT_JSON), "");
    launch.tracking().logArtifact(run.resolve(RunLayout.REPORT_MD), "");
    for (String figure : report.figures()) {
      Path parent = Path.of(figure).getParent();
      launch.tracking().logArtifact(run.resolve(figure), parent == null ? "" : parent.toString());
    }
    LOG.info("report: {}", run.resolve(RunLayout.REPORT_MD));
  }
}
