package org.vqlab.experiments.stages;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.util.ProgressBar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vqlab.core.config.Section;
import org.vqlab.core.data.BatchSampler;
import org.vqlab.core.data.DatasetFactory;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.data.Split;
import org.vqlab.core.data.VideoFrames;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.ModelContext;
import org.vqlab.core.plugin.ModelFactory;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.quantizer.Quantizers;
import org.vqlab.core.train.Checkpoints;
import org.vqlab.core.train.Trainer;
import org.vqlab.core.train.TrainerConfig;
import org.vqlab.core.train.TrainingListener;
import org.vqlab.experiments.listeners.CurvesListener;
import org.vqlab.experiments.listeners.ProgressListener;
import org.vqlab.experiments.listeners.ReconstructionGridListener;
import org.vqlab.experiments.listeners.TrackingListener;
import org.vqlab.experiments.run.Launch;
import org.vqlab.experiments.tracking.DatasetInputs;
import org.vqlab.experiments.run.RunArtifacts;

/**
 * {@code vq train}: builds the dataset and the model plugins the config names, and trains the
 * autoencoder with the shared {@link Trainer}; checkpoints go to {@code checkpoints/train/}.
 * With {@code resume} it continues from the newest intact checkpoint. On a video dataset the
 * image model trains on the clips' frames ({@link VideoFrames}): video is encoded frame by frame.
 */
public final class TrainStage implements Launch.StageBody {
  public static final String NAME = "train";
  public static final String CHECKPOINTS = "checkpoints/train";
  private static final Logger LOG = LoggerFactory.getLogger(TrainStage.class);
  private final boolean resume;

  public TrainStage(boolean resume) {
    this.resume = resume;
  }

  /** The model and data of a run, built from its config: shared by the later stages. */
  public record Built(Autoencoder model, VqDataset train, VqDataset test, NDManager manager) {}

  /** Builds (and prepares) the datasets and builds and initialises the model on the launch's device. */
  public static Built build(Launch launch) throws java.io.IOException {
    return build(launch.config().root(), launch.registry(), launch.device());
  }

  /** The same from a composed config, a registry and a device. */
  public static Built build(Section root, PluginRegistry registry, Device device) throws java.io.IOException {
    Section dataSection = root.child("dataset");
    DatasetFactory data = registry.factory(PluginKind.DATASET, dataSection);
    VqDataset train = data.create(dataSection, Split.TRAIN);
    VqDataset test = data.create(dataSection, Split.TEST);
    train.prepare(new ProgressBar());
    test.prepare(new ProgressBar());
    Section modelSection = root.child("model");
    ModelFactory models = registry.factory(PluginKind.MODEL, modelSection);
    // Image models see one frame of a clip (C, H, W): video is encoded frame by frame.
    Shape image = VideoFrames.frameShape(train.itemShape());
    Autoencoder model = models.create(modelSection, new ModelContext(image,
        root.child("quantizer"), new Quantizers(registry), train.normalization()));
    NDManager manager = NDManager.newBaseManager(device);
    model.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(image));
    return new Built(model, train, test, manager);
  }

  @Override
  public void run(Launch launch) throws Exception {
    TrainerConfig config = launch.section("trainer").bind(TrainerConfig.class);
    Built built = build(launch);
    try (NDManager manager = built.manager()) {
      AutoencoderTask task = new AutoencoderTask(built.model(), manager);
      // Clips train the image model on their frames: batches are shuffled frames of many clips.
      VqDataset train = VideoFrames.of(built.train());
      VqDataset test = VideoFrames.of(built.test());
      BatchSampler sampler = BatchSampler.forTraining(train, config.batchSize(),
          launch.launchConfig().seed());
      config = config.forEpochs(sampler.batchesPerEpoch());
      Path runDir = launch.directory().path();
      boolean logCheckpoints = launch.config().config().hasPath("tracking.mlflow.log_checkpoints")
          && launch.config().config().getBoolean("tracking.mlflow.log_checkpoints");
      List<TrainingListener> listeners = new ArrayList<>(List.of(
          new TrackingListener(launch.tracking(), "", logCheckpoints),
          new ProgressListener(NAME),
          new ReconstructionGridListener(built.model(), test, runDir.resolve("figures"),
              launch.tracking(), 16),
          new CurvesListener(runDir, NAME, "", launch.tracking())));
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("stage", NAME);
      header.put("config", launch.config().render());
      Trainer<LabeledBatch> trainer = new Trainer<>(config, task, train, s -> {
        // Per-epoch augmentation (flips) is a function of the epoch: set it before each batch.
        train.setEpoch(sampler.epochOfStep(s - 1));
        return sampler.batchAtStep(s - 1);
      },
          test, manager, launch.engine(), launch.launchConfig().seed(),
          new Checkpoints(runDir.resolve(CHECKPOINTS), config.keepLast()), header, listeners);
      if (resume) {
        Checkpoints.Scan scan = trainer.restoreLatest();
        scan.corrupt().forEach(f -> LOG.warn("skipped corrupt checkpoint {} (bad magic, version or"
            + " CRC)", f));
        Path from = scan.newest().orElseThrow(() -> new StageFailure(
            "nothing to resume in " + runDir.resolve(CHECKPOINTS) + ": no intact checkpoint"
            + RunArtifacts.corruptNote(scan)));
        LOG.info("resuming from {} (step {})", from, trainer.step());
      }
      launch.tracking().logDataset(DatasetInputs.of(launch.section("dataset"), built.train(),
          built.test()));
      long started = System.nanoTime();
      Trainer.Result result = trainer.fit();
      launch.tracking().logLaunchMetric("train/time_seconds", (System.nanoTime() - started) / 1e9);
      if (!result.completed()) {
        String last = trainer.checkpoints().latestIntact().map(Path::toString).orElse("none");
        throw new StageFailure("training stopped: " + result.stopReason()
            + "; last good checkpoint: " + last);
      }
      LOG.info("trained {} steps; {}", result.step(), result.lastEval());
    }
  }
}
