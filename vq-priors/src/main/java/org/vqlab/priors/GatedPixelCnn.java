package org.vqlab.priors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.vqlab.core.nn.Slicing;
import org.vqlab.core.prior.AncestralSampling;
import org.vqlab.core.prior.CodePrior;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;

/**
 * The gated PixelCNN of van den Oord et al. (2016, "Conditional Image Generation with PixelCNN
 * Decoders") over a grid of K codes: a code embedding, one gated layer with mask A, {@code layers}
 * gated layers with mask B, a head of two 1 x 1 convolutions on the sum of skip connections.
 *
 * <p>No kernel is masked. Causality comes from padding and cropping (the stack formulation): the
 * vertical convolution is (k/2 + 1) x k over rows r - k/2 .. r, and the same output read one row
 * higher (rows r - k/2 - 1 .. r - 1) is what the horizontal stack receives; the horizontal
 * convolution is 1 x (k/2 + 1) over columns c - k/2 .. c (mask B) or 1 x k/2 over c - k/2 .. c - 1
 * (mask A). This wastes no multiplies on zeroed weights, and since the vertical stack
 * covers full rows above, there is no blind spot: (r, c) sees the rectangle of n * (k/2) columns
 * either side in the n * (k/2) + 1 rows above (n = layers + 1) and n * (k/2) columns to its left.
 *
 * <p>Conditioning adds a (B, 2C, ., .) bias to the pre-activations of both stacks in every layer: a
 * learned vector per class, and/or the {@link UpperConditioning} maps of the level above, and/or
 * (inside a {@link VideoPixelCnn}) the {@link PastConditioning} maps of the previous frames.
 */
public final class GatedPixelCnn extends ConvNet implements CodePrior {
  private final int numCodes;
  private final int height;
  private final int width;
  private final int channels;
  private final int gatedLayers;
  private final int pad;
  private final float dropout;
  private final CodeEmbedding embedding;
  private final Conv2d[] vertical;
  private final Conv2d[] horizontal;
  private final Conv2d[] link;
  private final Conv2d[] residual;
  private final Conv2d[] skip;
  private final Conv2d head;
  private final Conv2d output;
  private final CodeEmbedding classBias;
  private final UpperConditioning upper;
  private final PastConditioning past;

  public GatedPixelCnn(GatedPixelCnnConfig config, PriorContext context) {
    this(config, context, 0);
  }

  /**
   * With {@code pastFrames} > 0, also conditioned on that many previous frames' codes
   * (PriorCondition.pastCodes, values 0..K with K the start), through a stack of
   * conditioning_channels and conditioning_layers; a {@link VideoPixelCnn} builds it so.
   */
  GatedPixelCnn(GatedPixelCnnConfig config, PriorContext context, int pastFrames) {
    if (context.numCodes() < 2 || context.height() < 1 || context.width() < 1) {
      throw new IllegalArgumentException("a prior needs K >= 2 codes on a grid of at least 1 x 1, got "
          + context);
    }
    numCodes = context.numCodes();
    height = context.height();
    width = context.width();
    channels = config.channels();
    gatedLayers = config.layers() + 1;
    pad = config.kernelSize() / 2;
    dropout = (float) config.dropout();
    int c = channels;
    int k = config.kernelSize();
    embedding = child("embedding", new CodeEmbedding(numCodes, c, 1f), 1);
    vertical = new Conv2d[gatedLayers];
    horizontal = new Conv2d[gatedLayers];
    link = new Conv2d[gatedLayers];
    skip = new Conv2d[gatedLayers];
    // The last layer's horizontal output only feeds the skip sum.
    residual = new Conv2d[gatedLayers - 1];
    for (int l = 0; l < gatedLayers; l++) {
      vertical[l] = conv("vertical_" + l, c, 2 * c, pad + 1, k, pad + 1, pad);
      // Padding pad on both sides, output cropped to the first W columns: column c then covers
      // c - pad .. c - 1 for the mask-A kernel of width pad, c - pad .. c for mask B's pad + 1.
      horizontal[l] = conv("horizontal_" + l, c, 2 * c, 1, l == 0 ? pad : pad + 1, 0, pad);
      link[l] = conv("link_" + l, 2 * c, 2 * c, 1, 1, 0, 0);
      skip[l] = conv("skip_" + l, c, c, 1, 1, 0, 0);
      if (l < gatedLayers - 1) {
        residual[l] = conv("residual_" + l, c, c, 1, 1, 0, 0);
      }
    }
    head = conv("head", c, c, 1, 1, 0, 0);
    output = conv("output", c, numCodes, 1, 1, 0, 0);
    classBias = config.classConditional() && context.numClasses() > 0
        ? child("class_bias", new CodeEmbedding(context.numClasses(), gatedLayers * 2 * c, 0.1f), 1)
        : null;
    if (context.upperNumCodes() > 0) {
      if (context.upperHeight() < 1 || context.upperWidth() < 1
          || height % context.upperHeight() != 0 || width % context.upperWidth() != 0) {
        throw new IllegalArgumentException("the upper code grid " + context.upperHeight() + " x "
            + context.upperWidth() + " must divide the prior's grid " + height + " x " + width);
      }
      upper = child("upper_conditioning", new UpperConditioning(context.upperNumCodes(),
          context.upperGrids(), config.conditioningChannels(), config.conditioningLayers(),
          height / context.upperHeight(),
          width / context.upperWidth(), gatedLayers * 2 * c), 1);
    } else {
      upper = null;
    }
    // Added last so that priors without a past keep their parameter order.
    past = pastFrames > 0
        ? child("past_conditioning", new PastConditioning(numCodes, pastFrames,
            config.conditioningChannels(), config.conditioningLayers(), gatedLayers * 2 * c), 1)
        : null;
  }

  @Override
  public int numCodes() {
    return numCodes;
  }

  /** Gated layers including the mask-A one. */
  public int gatedLayers() {
    return gatedLayers;
  }

  /** How far the receptive field reaches: columns either side, and rows above beyond the first. */
  public int reach() {
    return gatedLayers * pad;
  }

  public boolean classConditional() {
    return classBias != null;
  }

  public boolean upperConditional() {
    return upper != null;
  }

  /** Past frames it is conditioned on (0 for an image prior). */
  public int pastFrames() {
    return past == null ? 0 : past.frames();
  }

  @Override
  public NDArray logits(ParameterStore ps, NDArray codes, PriorCondition condition, boolean training) {
    NDArray x = embedding.maps(ps, codes, training);
    NDArray cond = conditioning(ps, condition, training);
    NDArray[] links = verticalStack(ps, x, cond, training);
    return head(ps, horizontalStack(ps, x, links, cond, training), training);
  }

  /**
   * The sum of all conditioning biases, (B, layers * 2C, h, w) or (B, layers * 2C, 1, 1) for labels
   * alone; null when the prior is unconditional.
   */
  NDArray conditioning(ParameterStore ps, PriorCondition condition, boolean training) {
    NDArray total = null;
    if (classBias != null) {
      if (condition == null || condition.labels() == null) {
        throw new IllegalArgumentException("this prior is class-conditional: PriorCondition.labels is null");
      }
      NDArray labels = condition.labels();
      NDArray b = classBias.lookup(ps, labels, training);
      total = b.reshape(b.getShape().get(0), b.getShape().get(1), 1, 1);
    }
    if (upper != null) {
      if (condition == null || condition.upperCodes() == null) {
        throw new IllegalArgumentException(
            "this prior is conditioned on the upper level: PriorCondition.upperCodes is null");
      }
      NDArray u = upper.maps(ps, condition.upperCodes(), training);
      total = total == null ? u : u.add(total);
    }
    if (past != null) {
      if (condition == null || condition.pastCodes() == null) {
        throw new IllegalArgumentException(
            "this prior is conditioned on past frames: PriorCondition.pastCodes is null");
      }
      NDArray p = past.maps(ps, condition.pastCodes(), training);
      total = total == null ? p : p.add(total);
    }
    return total;
  }

  /**
   * The conditioning bias of every gated layer, (B, 2C, h, w) each: one split of {@code cond}, null
   * when unconditional. A split rather than a slice per layer: the backward of a slice zero-fills an
   * array of the whole {@code cond}'s size and adds it to the others', once per layer, where a split
   * puts the layers' gradients together in one concatenation. With a 14 x 14 map from the level
   * above, cond is (64, 1408, 14, 14) at the default sizes, 71 MB, and each stack has 11 layers.
   */
  private NDList layerBiases(NDArray cond) {
    return cond == null ? null : cond.split(gatedLayers, 1);
  }

  /**
   * The vertical stack over x (B, C, H, W): per gated layer the link it sends to the horizontal
   * stack, (B, 2C, H, W), at row r computed from rows < r only.
   */
  NDArray[] verticalStack(ParameterStore ps, NDArray x, NDArray cond, boolean training) {
    long rows = x.getShape().get(2);
    NDArray[] links = new NDArray[gatedLayers];
    NDArray v = x;
    NDList biases = layerBiases(cond);
    for (int l = 0; l < gatedLayers; l++) {
      // Output row i covers input rows i - pad - 1 .. i - 1: rows 0..H-1 are the shifted view.
      NDArray out = apply(vertical[l], ps, v, training);
      links[l] = apply(link[l], ps, Slicing.narrow(out, 2, 0, rows), training);
      if (l < gatedLayers - 1) {
        NDArray pre = Slicing.narrow(out, 2, 1, rows + 1);
        v = gate(biases == null ? pre : pre.add(biases.get(l)));
      }
    }
    return links;
  }

  /** The horizontal stack over x (B, C, H, W) given the links: the skip sum (B, C, H, W). */
  NDArray horizontalStack(ParameterStore ps, NDArray x, NDArray[] links, NDArray cond,
      boolean training) {
    long cols = x.getShape().get(3);
    NDArray h = x;
    NDArray skipSum = null;
    NDList biases = layerBiases(cond);
    for (int l = 0; l < gatedLayers; l++) {
      NDArray out = apply(horizontal[l], ps, h, training);
      NDArray pre = Slicing.narrow(out, 3, 0, cols);
      pre = pre.add(links[l]);
      if (biases != null) {
        pre = pre.add(biases.get(l));
      }
      NDArray g = gate(pre);
      if (training && dropout > 0) {
        g = Dropout.dropout(g, dropout, true).singletonOrThrow();
      }
      NDArray s = apply(skip[l], ps, g, training);
      skipSum = skipSum == null ? s : skipSum.add(s);
      if (l < gatedLayers - 1) {
        NDArray r = apply(residual[l], ps, g, training);
        // The mask-A layer has no residual: its input holds the current code.
        h = l == 0 ? r : h.add(r);
      }
    }
    return skipSum;
  }

  NDArray head(ParameterStore ps, NDArray skipSum, boolean training) {
    NDArray y = Activation.relu(apply(head, ps, Activation.relu(skipSum), training));
    return apply(output, ps, y, training);
  }

  private NDArray gate(NDArray pre) {
    NDList parts = pre.split(2, 1);
    return Activation.tanh(parts.get(0)).mul(Activation.sigmoid(parts.get(1)));
  }

  /** The fast sampler; see {@link ReceptiveFieldSampler}. */
  @Override
  public NDArray sample(ParameterStore ps, NDArray uniforms, PriorCondition condition,
      double temperature) {
    return ReceptiveFieldSampler.sample(this, ps, uniforms, condition, temperature);
  }

  /**
   * The fast sampler over raster positions [from, to) of {@code codes}, keeping the others; when
   * {@code logitsOut} (B, K, h, w) is given it receives the logits each code was drawn from. The
   * codes are those {@link AncestralSampling#referenceInto} would draw; the stats say how often
   * the guard needed a full pass.
   */
  public FastSamplingStats sampleInto(ParameterStore ps, NDArray codes, NDArray uniforms,
      PriorCondition condition, double temperature, int from, int to, NDArray logitsOut) {
    return ReceptiveFieldSampler.sampleInto(this, ps, codes, uniforms, condition, temperature, from,
        to, logitsOut, ReceptiveFieldSampler.LOGIT_TOLERANCE);
  }

  /** The reference sampler: one full forward pass per position. */
  public NDArray sampleReference(ParameterStore ps, NDArray uniforms, PriorCondition condition,
      double temperature) {
    return AncestralSampling.reference(this, ps, uniforms, condition, temperature);
  }

  /** codes, labels (if class-conditional), upper codes (if conditioned on the level above), past. */
  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    int i = 1;
    NDArray labels = classBias != null ? inputs.get(i++) : null;
    NDArray upperCodes = upper != null ? inputs.get(i++) : null;
    NDArray pastCodes = past != null ? inputs.get(i) : null;
    return new NDList(logits(ps, inputs.get(0), new PriorCondition(labels, upperCodes, pastCodes),
        training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {new Shape(s.get(0), numCodes, s.get(1), s.get(2))};
  }

  /** Initialises the parameters on the manager's device. */
  public GatedPixelCnn initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1, height, width));
    return this;
  }

  int height() {
    return height;
  }

  int width() {
    return width;
  }

  CodeEmbedding embedding() {
    return embedding;
  }
}
