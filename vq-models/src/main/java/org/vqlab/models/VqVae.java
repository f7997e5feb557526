package org.vqlab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vqlab.core.data.PixelNormalization;
import org.vqlab.core.model.Autoencoder;
import org.vqlab.core.model.AutoencoderOutput;
import org.vqlab.core.model.CodeLevels;
import org.vqlab.core.quantizer.Quantizer;
import org.vqlab.core.quantizer.QuantizerOutput;
import org.vqlab.models.likelihood.DecoderLikelihood;
import org.vqlab.models.nn.ConvStacks;

/**
 * VQ-VAE with L >= 1 levels of codes: L = 1 is the VQ-VAE of van den Oord et al. (2017), L >= 2 the
 * hierarchy of VQ-VAE-2 (Razavi et al. 2019). Level 0 (bottom) has codes at 1/downsample of the
 * image; each level above halves the resolution again.
 *
 * <p>Encoding is bottom-up, quantisation top-down: level i's features are joined with the decoded
 * quantized codes of level i + 1 before a 1 x 1 projection to the code dimension and the quantizer.
 * The decoder takes every level: the bottom codes plus each upper level upsampled to the bottom's
 * resolution by transposed convolutions.
 *
 * <p>A level whose quantizer has S > 1 stages (residual VQ) gives S code grids, stage 1 first,
 * named {@code <level>_stage<s>}; they are split from and stacked back onto the quantizer's stage
 * axis here, so priors, the code store and metrics see one grid per stage like one per level.
 */
public final class VqVae extends AbstractBlock implements Autoencoder {
  private final int levels;
  private final Shape imageShape;
  private final List<String> names;
  // Arrays indexed by level, 0 = bottom.
  private final Quantizer[] quantizers;
  private final SequentialBlock[] encoders;
  private final Conv2d[] projections;
  private final SequentialBlock[] conditionDecoders;
  private final SequentialBlock[] upsamplers;
  private final SequentialBlock decoder;
  private final DecoderLikelihood likelihood;
  private final PixelNormalization normalization;

  /**
   * @param imageShape (C, H, W); H and W must divide by downsample * 2^(L-1) (see
   *     {@link ArchitectureChecks#divisible})
   * @param quantizersTopFirst one quantizer per level, top first (L = its size)
   */
  public VqVae(Shape imageShape, int channels, int residualChannels, int residualBlocks,
      int downsample, List<Quantizer> quantizersTopFirst, DecoderLikelihood likelihood,
      PixelNormalization normalization) {
    this.levels = quantizersTopFirst.size();
    if (levels < 1) {
      throw new IllegalArgumentException("a VQ-VAE needs at least one quantizer");
    }
    ArchitectureChecks.divisible(imageShape, downsample, levels);
    this.imageShape = imageShape;
    this.names = CodeLevels.names(levels);
    this.likelihood = likelihood;
    this.normalization = normalization;
    quantizers = new Quantizer[levels];
    encoders = new SequentialBlock[levels];
    projections = new Conv2d[levels];
    conditionDecoders = new SequentialBlock[levels];
    upsamplers = new SequentialBlock[levels];
    for (int i = 0; i < levels; i++) {
      quantizers[i] = quantizersTopFirst.get(levels - 1 - i);
    }
    for (int i = 0; i < levels; i++) {
      encoders[i] = addChildBlock("encoder_" + names.get(levels - 1 - i), i == 0
          ? ConvStacks.encoder(channels, residualChannels, residualBlocks, downsample)
          : ConvStacks.halvingEncoder(channels, residualChannels, residualBlocks));
    }
    for (int i = levels - 1; i >= 0; i--) {
      String name = names.get(levels - 1 - i);
      if (i > 0) {
        // Decodes this level's codes to the level below, where they condition its quantisation.
        conditionDecoders[i] = addChildBlock("condition_decoder_" + name, ConvStacks.decoder(
            channels, residualChannels, residualBlocks, 2, quantizers[i].codeDim()));
      }
      projections[i] = addChildBlock("projection_" + name,
          ConvStacks.conv(quantizers[i].codeDim(), 1, 1, 0));
      addChildBlock("quantizer_" + name, quantizers[i]);
      if (i > 0) {
        upsamplers[i] = addChildBlock("upsampler_" + name,
            ConvStacks.upsampler(quantizers[i].codeDim(), i));
      }
    }
    int outChannels = (int) imageShape.get(0) * likelihood.channelsPerImageChannel();
    decoder = addChildBlock("decoder",
        ConvStacks.decoder(channels, residualChannels, residualBlocks, downsample, outChannels));
  }

  public int levels() {
    return levels;
  }

  /** Level names, top first, as used in the terms ("perplexity/top"). */
  public List<String> levelNames() {
    return names;
  }

  @Override
  public List<String> codeLevelNames() {
    List<String> grids = new ArrayList<>();
    for (int i = levels - 1; i >= 0; i--) {
      grids.addAll(CodeLevels.stageNames(names.get(levels - 1 - i), quantizers[i].stages()));
    }
    return grids;
  }

  @Override
  public List<Integer> codeStages() {
    List<Integer> stages = new ArrayList<>();
    for (int i = levels - 1; i >= 0; i--) {
      for (int s = 0; s < quantizers[i].stages(); s++) {
        stages.add(s);
      }
    }
    return stages;
  }

  /**
   * The code grids (B, h, w) of one level's indices: the indices themselves, or one per entry of
   * the stage axis when they have one (rank 4 for the (B, D, h, w) codes of this model).
   */
  private static List<NDArray> stageGrids(NDArray indices) {
    if (indices.getShape().dimension() == 3) {
      return List.of(indices);
    }
    List<NDArray> grids = new ArrayList<>();
    for (long s = 0; s < indices.getShape().get(1); s++) {
      grids.add(indices.get(new NDIndex(":, {}", s)));
    }
    return grids;
  }

  public DecoderLikelihood likelihood() {
    return likelihood;
  }

  /** Quantizer outputs, index 0 = bottom. */
  private QuantizerOutput[] quantizeAll(ParameterStore ps, NDArray images, boolean training) {
    NDArray[] features = new NDArray[levels];
    NDArray h = images;
    for (int i = 0; i < levels; i++) {
      h = encoders[i].forward(ps, new NDList(h), training).singletonOrThrow();
      features[i] = h;
    }
    QuantizerOutput[] out = new QuantizerOutput[levels];
    for (int i = levels - 1; i >= 0; i--) {
      NDArray in = features[i];
      if (i < levels - 1) {
        NDArray above = conditionDecoders[i + 1]
            .forward(ps, new NDList(out[i + 1].quantized()), training).singletonOrThrow();
        in = NDArrays.concat(new NDList(in, above), 1);
      }
      NDArray z = projections[i].forward(ps, new NDList(in), training).singletonOrThrow();
      out[i] = quantizers[i].quantize(ps, z, training);
    }
    return out;
  }

  /** Decoder output (likelihood parameters) from quantized vectors, index 0 = bottom. */
  private NDArray decodeQuantized(ParameterStore ps, NDArray[] quantized, boolean training) {
    NDArray in = quantized[0];
    if (levels > 1) {
      NDList parts = new NDList(quantized[0]);
      for (int i = 1; i < levels; i++) {
        parts.add(upsamplers[i].forward(ps, new NDList(quantized[i]), training).singletonOrThrow());
      }
      in = NDArrays.concat(parts, 1);
    }
    return decoder.forward(ps, new NDList(in), training).singletonOrThrow();
  }

  @Override
  public AutoencoderOutput compute(ParameterStore ps, NDArray images, boolean training) {
    QuantizerOutput[] out = quantizeAll(ps, images, training);
    NDArray[] quantized = new NDArray[levels];
    for (int i = 0; i < levels; i++) {
      quantized[i] = out[i].quantized();
    }
    NDArray decoded = decodeQuantized(ps, quantized, training);
    NDArray reconstruction = likelihood.reconstruction(decoded);
    NDArray reconLoss = likelihood.loss(decoded, images);
    NDArray quantizerLoss = out[0].loss();
    NDArray commitment = out[0].commitmentLoss();
    NDArray codebook = out[0].codebookLoss();
    for (int i = 1; i < levels; i++) {
      quantizerLoss = quantizerLoss.add(out[i].loss());
      commitment = commitment.add(out[i].commitmentLoss());
      codebook = codebook.add(out[i].codebookLoss());
    }
    NDArray loss = reconLoss.add(quantizerLoss);
    Map<String, NDArray> terms = new LinkedHashMap<>();
    terms.put("loss", loss);
    terms.put("recon_loss", reconLoss);
    terms.put("mse", PixelMse.of(images, reconstruction, normalization));
    terms.put("commitment_loss", commitment);
    terms.put("codebook_loss", codebook);
    List<NDArray> codes = new ArrayList<>(levels);
    for (int i = levels - 1; i >= 0; i--) {
      String name = names.get(levels - 1 - i);
      List<NDArray> grids = stageGrids(out[i].indices());
      if (grids.size() == 1) {
        terms.put("perplexity/" + name, out[i].perplexity());
        terms.put("codes_used/" + name, out[i].codesUsed());
      } else {
        List<String> stageNames = CodeLevels.stageNames(name, grids.size());
        for (int s = 0; s < grids.size(); s++) {
          terms.put("perplexity/" + stageNames.get(s), out[i].perplexity().get(s));
          terms.put("codes_used/" + stageNames.get(s), out[i].codesUsed().get(s));
        }
      }
      codes.addAll(grids);
    }
    return new AutoencoderOutput(reconstruction, loss, terms, codes);
  }

  @Override
  public List<NDArray> encodeCodes(ParameterStore ps, NDArray images) {
    QuantizerOutput[] out = quantizeAll(ps, images, false);
    List<NDArray> codes = new ArrayList<>();
    for (int i = levels - 1; i >= 0; i--) {
      codes.addAll(stageGrids(out[i].indices()));
    }
    return codes;
  }

  private NDArray decodeFromCodes(ParameterStore ps, NDList codes) {
    List<String> grids = codeLevelNames();
    if (codes.size() != grids.size()) {
      throw new IllegalArgumentException("expected " + grids.size() + " code grids " + grids
          + " (top first), got " + codes.size());
    }
    NDArray[] quantized = new NDArray[levels];
    int next = 0;
    for (int i = levels - 1; i >= 0; i--) {
      int stages = quantizers[i].stages();
      NDList level = new NDList();
      for (int s = 0; s < stages; s++) {
        level.add(codes.get(next++).toType(DataType.INT64, false));
      }
      NDArray indices = stages == 1 ? level.get(0) : NDArrays.stack(level, 1);
      // The vectors of the level's indices, through the quantizer's own decoding.
      quantized[i] = quantizers[i].decode(ps, indices);
    }
    return decodeQuantized(ps, quantized, false);
  }

  @Override
  public NDArray decodeCodes(ParameterStore ps, NDList codes) {
    return likelihood.reconstruction(decodeFromCodes(ps, codes));
  }

  @Override
  public NDArray logLikelihood(ParameterStore ps, NDArray images, NDList codes) {
    return likelihood.logLikelihood(decodeFromCodes(ps, codes), images);
  }

  @Override
  public List<Quantizer> quantizers() {
    List<Quantizer> topFirst = new ArrayList<>();
    for (int i = levels - 1; i >= 0; i--) {
      for (int s = 0; s < quantizers[i].stages(); s++) {
        topFirst.add(quantizers[i].stage(s));
      }
    }
    return topFirst;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(compute(ps, inputs.singletonOrThrow(), training).reconstruction());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape s = inputShapes[0];
    long batch = s.get(0);
    Shape[] features = new Shape[levels];
    for (int i = 0; i < levels; i++) {
      encoders[i].initialize(manager, dataType, s);
      s = encoders[i].getOutputShapes(new Shape[] {s})[0];
      features[i] = s;
    }
    Shape[] codeShapes = new Shape[levels];
    for (int i = levels - 1; i >= 0; i--) {
      Shape in = features[i];
      if (i < levels - 1) {
        conditionDecoders[i + 1].initialize(manager, dataType, codeShapes[i + 1]);
        Shape above = conditionDecoders[i + 1].getOutputShapes(new Shape[] {codeShapes[i + 1]})[0];
        in = new Shape(batch, in.get(1) + above.get(1), in.get(2), in.get(3));
      }
      projections[i].initialize(manager, dataType, in);
      codeShapes[i] = projections[i].getOutputShapes(new Shape[] {in})[0];
      quantizers[i].initialize(manager, dataType, codeShapes[i]);
    }
    long decoderChannels = codeShapes[0].get(1);
    for (int i = 1; i < levels; i++) {
      upsamplers[i].initialize(manager, dataType, codeShapes[i]);
      decoderChannels += upsamplers[i].getOutputShapes(new Shape[] {codeShapes[i]})[0].get(1);
    }
    decoder.initialize(manager, dataType,
        new Shape(batch, decoderChannels, codeShapes[0].get(2), codeShapes[0].get(3)));
  }

  /** The image shape (C, H, W) this model was built for. */
  public Shape imageShape() {
    return imageShape;
  }
}
