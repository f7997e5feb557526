package org.vqlab.experiments.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vqlab.core.data.LabeledBatch;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.AutoencoderOutput;
import org.vqlab.core.quantizer.CodebookUsage;
import org.vqlab.core.quantizer.Quantizer;
import org.vqlab.core.train.TrainingTask;

/**
 * Trains any autoencoder plugin. Evaluation adds codebook usage over the whole pass, per level:
 * perplexity, codes used and dead codes (never used in the pass).
 */
public final class AutoencoderTask implements TrainingTask<LabeledBatch> {
  private final Autoencoder model;
  private final NDManager manager;
  private final List<String> levelNames;
  private List<CodebookUsage> usage = List.of();
  /** The last forward's output: evaluation reads its codes without encoding again. */
  private AutoencoderOutput lastOutput;

  public AutoencoderTask(Autoencoder model, NDManager manager) {
    this.model = model;
    this.manager = manager;
    this.levelNames = model.codeLevelNames();
  }

  public Autoencoder model() {
    return model;
  }

  @Override
  public Block block() {
    return model;
  }

  @Override
  public StepOutput forward(ParameterStore parameters, LabeledBatch batch, boolean training) {
    AutoencoderOutput out = model.compute(parameters, batch.images(), training);
    lastOutput = out;
    return new StepOutput(out.loss(), out.terms());
  }

  @Override
  public void startEvaluation() {
    usage.forEach(CodebookUsage::close);
    List<CodebookUsage> fresh = new ArrayList<>();
    for (Quantizer q : model.quantizers()) {
      fresh.add(CodebookUsage.start(q, manager));
    }
    usage = fresh;
  }

  @Override
  public void observeEvaluation(ParameterStore parameters, LabeledBatch batch, StepOutput output) {
    List<NDArray> codes = lastOutput.codes();
    for (int i = 0; i < codes.size() && i < usage.size(); i++) {
      usage.get(i).add(codes.get(i));
    }
  }

  @Override
  public Map<String, Double> finishEvaluation() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < usage.size(); i++) {
      CodebookUsage.Summary s = usage.get(i).summary();
      String level = levelNames.get(i);
      m.put("pass_perplexity/" + level, s.perplexity());
      m.put("pass_codes_used/" + level, (double) s.codesUsed());
      m.put("pass_dead_codes/" + level, (double) (s.histogram().length - s.codesUsed()));
    }
    return m;
  }
}
