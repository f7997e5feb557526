package org.vqlab.experiments;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vqlab.core.config.Section;
import org.vqlab.core.data.Split;
import org.vqlab.core.metric.EvaluationContext;
import org.vqlab.core.metric.Metric;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.ModelContext;
import org.vqlab.core.plugin.ModelFactory;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;
import org.vqlab.core.plugin.PriorFactory;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorContext;
import org.vqlab.core.quantizer.Quantizers;
import org.vqlab.core.testing.SyntheticImages;
import org.vqlab.eval.metrics.VideoPrediction;
import org.vqlab.eval.metrics.VideoPredictionConfig;
import org.vqlab.testkit.EvaluationRun;
import org.vqlab.testkit.MetricContract;
import org.vqlab.testkit.PluginConfigs;

/**
 * {@code video_prediction} on a tiny untrained run built from the registered plugins: a vqvae
 * (2 x 2 codes of 8 x 8 frames) and a video_pixelcnn over 6 random 4-frame test clips, 2 frames
 * given and 2 generated. Here rather than in vq-eval, which sees no model or prior plugin.
 */
class VideoPredictionContractTest extends MetricContract {
  private static final PluginRegistry REGISTRY = PluginRegistry.load();

  @Override
  protected Metric create() {
    return new VideoPrediction(new VideoPredictionConfig(2, 2, 2, 1.0));
  }

  @Override
  protected Set<String> requiredValues() {
    return Set.of("video_prediction/bits_per_code", "video_prediction/bits_per_code_without_past",
        "video_prediction/mse_future", "video_prediction/mse_future_reconstruction");
  }

  @Override
  protected EvaluationContext context(NDManager manager, Path runDirectory) {
    Shape frame = new Shape(1, 8, 8);
    Section model = PluginConfigs.section("model", "vqvae",
        "channels = 8, residual_channels = 4, residual_blocks = 1");
    Section quantizer = PluginConfigs.section("quantizer", "standard", "num_codes = 8, code_dim = 4");
    Autoencoder vqvae = REGISTRY.<ModelFactory>factory(PluginKind.MODEL, model)
        .create(model, new ModelContext(frame, quantizer, new Quantizers(REGISTRY)));
    vqvae.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 8, 8));
    Section prior = PluginConfigs.prior("video_pixelcnn",
        "channels = 8, layers = 1, conditioning_channels = 8, conditioning_layers = 1, context = 2");
    CodePrior video = REGISTRY.<PriorFactory>factory(PluginKind.PRIOR, prior)
        .create(prior, new PriorContext(8, 2, 2, 0, 0, 0, 10));
    video.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 2));
    SyntheticImages clips = new SyntheticImages(Split.TEST, 6, new Shape(1, 4, 8, 8), 5);
    return new EvaluationRun(runDirectory, manager, new ParameterStore(manager, false),
        Optional.of(vqvae), Optional.of(clips), List.of(Optional.of(video)), Optional.empty(), 8,
        0, 3, Map.of());
  }
}
