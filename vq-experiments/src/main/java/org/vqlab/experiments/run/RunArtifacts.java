package org.vqlab.experiments.run;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vqlab.core.codes.CodeLevel;
import org.vqlab.core.config.Section;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.plugin.PriorFactory;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;
import org.vqlab.core.run.RunLayout;
import org.vqlab.core.train.Checkpoints;
import org.vqlab.core.train.TrainerConfig;
import org.vqlab.experiments.stages.StageFailure;
import org.vqlab.experiments.stages.TrainStage;

/**
 * The trained parts of a run, loaded from its directory for the stages after training: the
 * autoencoder from {@code checkpoints/train} (best.ckpt, else the newest intact checkpoint), its
 * code grids, and the prior of each level from {@code checkpoints/prior/<level>}. Everything lives
 * in one manager on the launch's device.
 */
public final class RunArtifacts implements AutoCloseable {
  private final Path run;
  private final Section root;
  private final PluginRegistry registry;
  private final TrainStage.Built built;
  private final Path checkpoint;
  private final long checkpointStep;
  private final List<CodeLevel> levels;
  private final ParameterStore parameters;

  private RunArtifacts(Path run, Section root, PluginRegistry registry, TrainStage.Built built,
      Path checkpoint, long checkpointStep) {
    this.run = run;
    this.root = root;
    this.registry = registry;
    this.built = built;
    this.checkpoint = checkpoint;
    this.checkpointStep = checkpointStep;
    this.parameters = new ParameterStore(built.manager(), false);
    this.levels = measureLevels();
  }

  /** The run of a launch, with its config, plugins and device. */
  public static RunArtifacts open(Launch launch) throws IOException {
    return open(launch.directory().path(), launch.config().root(), launch.registry(), launch.device());
  }

  /**
   * Builds the data and model the run's config names and loads the trained autoencoder; fails with
   * a {@link StageFailure} naming the directory and the command to run when there is none.
   */
  public static RunArtifacts open(Path run, Section root, PluginRegistry registry, Device device)
      throws IOException {
    Path checkpoint = trainedCheckpoint(run.resolve(RunLayout.TRAIN_CHECKPOINTS)).orElseThrow(() ->
        new StageFailure("no trained autoencoder in " + run.resolve(RunLayout.TRAIN_CHECKPOINTS)
            + ": run `vq train` first (or `vq train resume=" + run + "` to finish it)"));
    TrainStage.Built built = TrainStage.build(root, registry, device);
    long step;
    try {
      step = Checkpoints.load(checkpoint, built.model(), null, built.manager()).step();
    } catch (IOException | RuntimeException e) {
      built.manager().close();
      throw e;
    }
    return new RunArtifacts(run, root, registry, built, checkpoint, step);
  }

  /** best.ckpt when intact, else the newest intact step checkpoint, in {@code directory}. */
  public static Optional<Path> trainedCheckpoint(Path directory) throws IOException {
    Path best = directory.resolve("best.ckpt");
    if (Files.isRegularFile(best) && Checkpoints.verify(best)) {
      return Optional.of(best);
    }
    if (!Files.isDirectory(directory)) {
      return Optional.empty();
    }
    return new Checkpoints(directory, Integer.MAX_VALUE).latestIntact();
  }

  public Path run() {
    return run;
  }

  public Section config() {
    return root;
  }

  public PluginRegistry registry() {
    return registry;
  }

  public Autoencoder model() {
    return built.model();
  }

  public VqDataset train() {
    return built.train();
  }

  public VqDataset test() {
    return built.test();
  }

  public NDManager manager() {
    return built.manager();
  }

  /** A parameter store without gradients, for inference with the model and the priors. */
  public ParameterStore parameters() {
    return parameters;
  }

  /** The checkpoint the autoencoder was loaded from. */
  public Path checkpoint() {
    return checkpoint;
  }

  /** The training step of that checkpoint. */
  public long checkpointStep() {
    return checkpointStep;
  }

  /** The code levels, top first, with their codebook size and grid (empty for the VAE). */
  public List<CodeLevel> levels() {
    return levels;
  }

  private List<CodeLevel> measureLevels() {
    int count = built.model().quantizers().size();
    if (count == 0) {
      return List.of();
    }
    List<String> names = built.model().codeLevelNames();
    List<Integer> stages = built.model().codeStages();
    List<CodeLevel> out = new ArrayList<>();
    try (NDManager scope = built.manager().newSubManager();
        LabeledBatch one = built.test().batch(scope, new long[] {0})) {
      NDArray images = one.images();
      if (images.getShape().dimension() == 5) {
        // A clip (1, C, T, H, W): the grid is that of one frame.
        images = images.get(":, :, 0");
      }
      List<NDArray> codes = built.model().encodeCodes(parameters, images);
      for (int l = 0; l < count; l++) {
        Shape s = codes.get(l).getShape();
        out.add(new CodeLevel(names.get(l), built.model().quantizers().get(l).numCodes(),
            Math.toIntExact(s.get(1)), Math.toIntExact(s.get(2)), stages.get(l)));
      }
    }
    return List.copyOf(out);
  }

  /**
   * What the prior of {@code level} (0 = top) models and is conditioned on: the grids
   * {@link PriorCondition#conditioningGrids} names (the level above, or a residual stage's
   * earlier stages), which share K and the grid.
   */
  public PriorContext priorContext(int level) {
    CodeLevel l = levels.get(level);
    int[] upper = PriorCondition.conditioningGrids(CodeLevel.stages(levels), level);
    int grids = upper[1] - upper[0];
    CodeLevel up = grids > 0 ? levels.get(upper[1] - 1) : null;
    return new PriorContext(l.numCodes(), l.height(), l.width(), up == null ? 0 : up.numCodes(),
        up == null ? 0 : up.height(), up == null ? 0 : up.width(), built.train().numClasses(),
        grids);
  }

  /** Where the prior of {@code level} keeps its checkpoints. */
  public Path priorCheckpoints(int level) {
    return RunLayout.priorCheckpoints(run, levels.get(level).name());
  }

  /**
   * A new, initialised prior for {@code level} from the run's {@code prior} section (its
   * {@code trainer} subsection is the prior stage's and is not the plugin's).
   */
  public CodePrior newPrior(int level) {
    Section section = priorSection();
    PriorFactory factory = registry.factory(PluginKind.PRIOR, section);
    CodePrior prior = factory.create(section, priorContext(level));
    CodeLevel l = levels.get(level);
    prior.initialize(built.manager(), DataType.FLOAT32, new Shape(1, l.height(), l.width()));
    return prior;
  }

  /** The run's prior section without its {@code trainer} subsection. */
  public Section priorSection() {
    return priorSection(root);
  }

  /** The {@code prior} section of a config without its {@code trainer} subsection: the plugin's keys. */
  public static Section priorSection(Section root) {
    Section prior = root.child("prior");
    return new Section(prior.path(), prior.config().withoutPath("trainer"));
  }

  /**
   * The prior stage's {@code prior.trainer} settings; keys it lacks (the device, or everything for
   * a prior option without a trainer block) come from the top-level {@code trainer} section.
   */
  public static TrainerConfig priorTrainer(Section root) {
    com.typesafe.config.Config all = root.config();
    com.typesafe.config.Config own = all.hasPath("prior.trainer") ? all.getConfig("prior.trainer")
        : com.typesafe.config.ConfigFactory.empty();
    com.typesafe.config.Config shared = all.hasPath("trainer") ? all.getConfig("trainer")
        : com.typesafe.config.ConfigFactory.empty();
    return new Section(root.fullKey("prior.trainer"), own.withFallback(shared)).bind(TrainerConfig.class);
  }

  /** The trained prior of {@code level}, or empty when it has not been trained. */
  public Optional<CodePrior> loadPrior(int level) throws IOException {
    Optional<Path> file = trainedCheckpoint(priorCheckpoints(level));
    if (file.isEmpty()) {
      return Optional.empty();
    }
    CodePrior prior = newPrior(level);
    Checkpoints.load(file.get(), prior, null, built.manager());
    return Optional.of(prior);
  }

  @Override
  public void close() {
    built.manager().close();
  }
}
