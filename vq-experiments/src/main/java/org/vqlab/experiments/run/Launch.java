package org.vqlab.experiments.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.ConfigComposer;
import org.vqlab.core.config.ConfigSearchPath;
import org.vqlab.core.plugin.PluginPath;
import org.vqlab.core.config.Section;
import org.vqlab.core.engine.EngineSetup;
import org.vqlab.core.engine.Versions;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.tracking.RunInfo;
import org.vqlab.core.tracking.RunStatus;
import org.vqlab.core.tracking.Tracker;
import org.vqlab.core.tracking.TrackerFactory;
import org.vqlab.core.train.TrainerConfig;
import org.vqlab.experiments.tracking.Tracking;

/**
 * One launch of a run command: composes and validates the config, starts the engine, creates the
 * run directory with {@code config.conf}, {@code overrides.txt}, {@code provenance.json} and
 * {@code log.txt}, and opens the trackers. Stages run inside it; {@link #close} records how it
 * ended. A launch killed with Ctrl-C ends its tracking runs as KILLED.
 */
public final class Launch implements AutoCloseable {
  /** Environment variable through which a sweep hands its parent run ids to jobs (tracker=id,...). */
  public static final String PARENT_RUNS_ENV = "VQLAB_PARENT_RUNS";
  /** Environment variable with a sweep job's run name ("job 3: quantizer=ema seed=2"). */
  public static final String RUN_NAME_ENV = "VQLAB_RUN_NAME";
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(Launch.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String command;
  private final ComposedConfig composed;
  private final PluginRegistry registry;
  private final LaunchConfig launchConfig;
  private final RunDirectory directory;
  private final Engine engine;
  private final Device device;
  private final Tracking tracking;
  private final Map<String, Object> provenance = new LinkedHashMap<>();
  private final Thread shutdownHook;
  private FileAppender<ILoggingEvent> logAppender;
  private volatile boolean finished;
  private RunStatus stageStatus;

  private Launch(String command, ComposedConfig composed, PluginRegistry registry,
      LaunchConfig launchConfig, RunDirectory directory, List<String> commandLine) throws IOException {
    this.command = command;
    this.composed = composed;
    this.registry = registry;
    this.launchConfig = launchConfig;
    this.directory = directory;
    startLogFile();
    this.engine = EngineSetup.start(launchConfig.engine(), launchConfig.seed());
    String deviceSpec = composed.config().hasPath("trainer")
        ? composed.root().child("trainer").bind(TrainerConfig.class).device() : "auto";
    this.device = EngineSetup.device(engine, deviceSpec);

    // A launch in an existing run directory (resume, or a later stage) keeps what is there.
    for (String file : List.of(RunDirectory.CONFIG, RunDirectory.OVERRIDES, RunDirectory.PROVENANCE)) {
      directory.keepPrevious(file);
    }
    RunDirectory.writeAtomically(directory.resolve(RunDirectory.CONFIG), composed.render());
    RunDirectory.writeAtomically(directory.resolve(RunDirectory.OVERRIDES),
        String.join("\n", composed.arguments()) + (composed.arguments().isEmpty() ? "" : "\n"));
    provenance.put("command", command);
    provenance.put("command_line", commandLine);
    provenance.put("run_directory", directory.path().toAbsolutePath().toString());
    provenance.put("experiment", launchConfig.name());
    provenance.put("preset", composed.experiment());
    provenance.put("choices", new TreeMap<>(composed.choices()));
    provenance.put("seed", launchConfig.seed());
    provenance.put("device", device.toString());
    provenance.put("gpu_count", engine.getGpuCount());
    provenance.put("versions", Versions.all(engine));
    provenance.put("plugin_jars", PluginPath.current().jars().stream().map(Path::toString).toList());
    provenance.put("git_commit", Versions.gitCommit(home()).orElse(null));
    provenance.put("host", hostName());
    provenance.put("user", System.getProperty("user.name"));
    provenance.put("start_time", Instant.now().toString());
    provenance.put("end_time", null);
    provenance.put("status", "RUNNING");
    writeProvenance();

    String runName = System.getenv(RUN_NAME_ENV) != null ? System.getenv(RUN_NAME_ENV)
        : launchConfig.name() + " " + directory.path().getFileName();
    RunInfo info = new RunInfo(directory.path(), launchConfig.name(), runName, composed, params(composed),
        tags(), parentIds());
    List<Tracker> trackers = new ArrayList<>();
    Section trackingSection = composed.root().child(PluginKind.TRACKER.group());
    registry.all(PluginKind.TRACKER).forEach((name, f) ->
        ((TrackerFactory) f).create(trackingSection, info).ifPresent(trackers::add));
    this.tracking = new Tracking(trackers);
    for (String file : List.of(RunDirectory.CONFIG, RunDirectory.OVERRIDES)) {
      tracking.logArtifact(directory.resolve(file), "");
    }
    this.shutdownHook = new Thread(() -> {
      if (!finished) {
        finish(RunStatus.KILLED);
      }
    }, "vq-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    LOG.info("run directory {} (device {}, seed {})", directory.path(), device, launchConfig.seed());
  }

  /**
   * Composes {@code overrides}, validates them against the registered plugins and starts a launch in
   * {@code runDir} (a fresh timestamped directory under output_dir/name when null).
   */
  public static Launch start(String command, List<String> overrides, Path runDir,
      List<String> commandLine) throws IOException {
    ComposedConfig composed = new ConfigComposer(ConfigSearchPath.defaults(PluginPath.current().classLoader())).compose(overrides);
    PluginRegistry registry = PluginRegistry.load();
    LaunchConfig lc = Validation.validate(composed, registry);
    RunDirectory dir = runDir != null ? RunDirectory.at(runDir)
        : RunDirectory.createNew(Paths.get(lc.outputDir()).resolve(lc.name()), LocalDateTime.now());
    return new Launch(command, composed, registry, lc, dir, commandLine);
  }

  /**
   * Starts a launch in an existing run directory with its saved {@code config.conf} and further
   * key overrides (e.g. {@code trainer.max_steps=20000} to train longer).
   */
  public static Launch inRun(String command, Path runDir, List<String> overrides,
      List<String> commandLine) throws IOException {
    Path saved = runDir.resolve(RunDirectory.CONFIG);
    if (!java.nio.file.Files.isRegularFile(saved)) {
      throw new org.vqlab.core.config.ConfigError("'" + runDir + "' is not a run directory: "
          + saved + " does not exist");
    }
    com.typesafe.config.Config config = com.typesafe.config.ConfigFactory.parseFile(saved.toFile());
    ConfigComposer composer = new ConfigComposer(ConfigSearchPath.defaults(PluginPath.current().classLoader()));
    ComposedConfig composed = composer.composeFrom(config, Map.of(), null, overrides);
    PluginRegistry registry = PluginRegistry.load();
    LaunchConfig lc = Validation.validate(composed, registry);
    return new Launch(command, composed, registry, lc, RunDirectory.at(runDir), commandLine);
  }

  public ComposedConfig config() {
    return composed;
  }

  public Section section(String key) {
    return composed.root().child(key);
  }

  public PluginRegistry registry() {
    return registry;
  }

  public LaunchConfig launchConfig() {
    return launchConfig;
  }

  public RunDirectory directory() {
    return directory;
  }

  public Engine engine() {
    return engine;
  }

  public Device device() {
    return device;
  }

  public Tracking tracking() {
    return tracking;
  }

  /** A stage body; stages read and write the run directory. */
  public interface StageBody {
    void run(Launch launch) throws Exception;
  }

  /** Runs one stage as its own tracking run; an exception ends it FAILED and propagates. */
  public void stage(String name, StageBody body) throws Exception {
    LOG.info("stage {} started", name);
    tracking.stageStarted(name);
    stageStatus = null;
    try {
      body.run(this);
      stageStatus = RunStatus.FINISHED;
    } catch (InterruptedException e) {
      stageStatus = RunStatus.KILLED;
      throw e;
    } catch (Exception | Error e) {
      stageStatus = RunStatus.FAILED;
      throw e;
    } finally {
      tracking.stageEnded(stageStatus == null ? RunStatus.FAILED : stageStatus);
      LOG.info("stage {} ended {}", name, stageStatus);
    }
  }

  /** Ends the launch: provenance gets its end time and status, trackers are finished. */
  public synchronized void finish(RunStatus status) {
    if (finished) {
      return;
    }
    finished = true;
    provenance.put("end_time", Instant.now().toString());
    provenance.put("status", status.name());
    try {
      writeProvenance();
    } catch (IOException e) {
      LOG.error("cannot write provenance.json: {}", e.toString());
    }
    tracking.logArtifact(directory.resolve(RunDirectory.PROVENANCE), "");
    String undelivered = tracking.finish(status);
    if (!undelivered.isEmpty()) {
      LOG.warn("tracking: {}", undelivered);
    }
    tracking.close();
    stopLogFile();
  }

  @Override
  public void close() {
    finish(RunStatus.FINISHED);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down.
    }
  }

  private void writeProvenance() throws IOException {
    RunDirectory.writeAtomically(directory.resolve(RunDirectory.PROVENANCE),
        JSON.writeValueAsBytes(provenance));
  }

  private Map<String, String> tags() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("vqlab.command", command);
    tags.put("vqlab.version", Versions.vqlab());
    Map<String, String> versions = Versions.all(engine);
    tags.put("djl.version", versions.get("djl"));
    tags.put("pytorch.version", versions.get("pytorch"));
    tags.put("device", device.toString());
    tags.put("user", System.getProperty("user.name"));
    tags.put("source", "vq " + command);
    Versions.gitCommit(home()).ifPresent(c -> tags.put("mlflow.source.git.commit", c));
    if (composed.experiment() != null) {
      tags.put("vqlab.preset", composed.experiment());
    }
    return tags;
  }

  /** The flattened resolved config as strings, the form trackers log as params. */
  public static SortedMap<String, String> params(ComposedConfig composed) {
    SortedMap<String, String> params = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : composed.flatten().entrySet()) {
      Object raw = e.getValue().unwrapped();
      params.put(e.getKey(), raw instanceof String s ? s : e.getValue().render(ConfigRenderOptions.concise()));
    }
    return params;
  }

  private static Map<String, String> parentIds() {
    Map<String, String> ids = new TreeMap<>();
    String env = System.getenv(PARENT_RUNS_ENV);
    if (env != null && !env.isBlank()) {
      for (String part : env.split(",")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          ids.put(part.substring(0, eq), part.substring(eq + 1));
        }
      }
    }
    return ids;
  }

  public static Path home() {
    String home = System.getProperty("vqlab.home", System.getenv("VQLAB_HOME"));
    return home == null ? Paths.get("").toAbsolutePath() : Paths.get(home);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private void startLogFile() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n");
    encoder.start();
    logAppender = new FileAppender<>();
    logAppender.setContext(ctx);
    logAppender.setName("run-log");
    logAppender.setFile(directory.resolve(RunDirectory.LOG).toString());
    logAppender.setAppend(true);
    logAppender.setEncoder(encoder);
    logAppender.start();
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logAppender);
  }

  /**
   * Writes {@code failure} with its stack trace to the run's log.txt only: the console gets the
   * message from the command line, a trace is for whoever debugs the run.
   */
  public void recordFailure(Throwable failure) {
    if (logAppender != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      Logger logger = ctx.getLogger(Launch.class);
      logAppender.doAppend(new ch.qos.logback.classic.spi.LoggingEvent(Logger.class.getName(), logger,
          ch.qos.logback.classic.Level.ERROR, command + " failed: " + failure, failure, null));
    }
  }

  /** The run's log file. */
  public Path logFile() {
    return directory.resolve(RunDirectory.LOG);
  }

  private void stopLogFile() {
    if (logAppender != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(logAppender);
      logAppender.stop();
    }
  }
}
