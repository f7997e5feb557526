package org.vqlab.priors;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.vqlab.core.nn.ScalarOps;
import org.vqlab.core.prior.ClipPrior;
import org.vqlab.core.prior.PriorCondition;
import org.vqlab.core.prior.PriorContext;
import org.vqlab.core.nn.Slicing;

/**
 * The video prior of the VQ-VAE paper's latent video generation: p(z_t | z_<t) for each frame, a
 * {@link GatedPixelCnn} over frame t's code grid whose gated layers all get a bias from the codes
 * of the previous {@code context} frames ({@link PastConditioning}, stacked 2D convolutions).
 * Frames before the clip's start are the code K, a learned "no frame" start, so the first frame is
 * modelled by the same network from the start alone. Causal in time by construction (a frame's
 * logits take only earlier frames as past) and in raster order within the frame (the gated
 * stacks), which {@code VideoCausalityTest} checks. Sampling a frame uses the fast
 * {@link ReceptiveFieldSampler} unchanged: the past enters only through the conditioning maps.
 */
public final class VideoPixelCnn extends AbstractBlock implements ClipPrior {
  private static final double LN2 = Math.log(2);

  private final GatedPixelCnn frame;
  private final int numCodes;
  private final int context;
  private final int height;
  private final int width;

  public VideoPixelCnn(VideoPixelCnnConfig config, PriorContext priorContext) {
    if (priorContext.upperNumCodes() > 0) {
      throw new IllegalArgumentException("video_pixelcnn models a single level of codes per frame;"
          + " conditioning on an upper level's codes is not supported (got " + priorContext + ")");
    }
    numCodes = priorContext.numCodes();
    context = config.context();
    height = priorContext.height();
    width = priorContext.width();
    frame = addChildBlock("frame_prior", new GatedPixelCnn(config.frame(), priorContext, context));
  }

  @Override
  public int numCodes() {
    return numCodes;
  }

  @Override
  public int context() {
    return context;
  }

  public boolean classConditional() {
    return frame.classConditional();
  }

  /** The per-frame network (its reach, its sampler). */
  GatedPixelCnn frame() {
    return frame;
  }

  /**
   * Logits (B, K, h, w) of one frame given {@code condition.pastCodes()} (B, T', h, w), earlier
   * frames first: the last {@code context} are used, fewer are preceded by the start.
   */
  @Override
  public NDArray logits(ParameterStore ps, NDArray codes, PriorCondition condition, boolean training) {
    return frame.logits(ps, codes, frameCondition(codes.getShape(), codes.getManager(),
        codes.getDevice(), condition), training);
  }

  /** The fast sampler of one frame given its past (see {@link #logits}). */
  @Override
  public NDArray sample(ParameterStore ps, NDArray uniforms, PriorCondition condition,
      double temperature) {
    try (NDManager scope = uniforms.getManager().newSubManager()) {
      PriorCondition c = frameCondition(uniforms.getShape(), scope, uniforms.getDevice(), condition);
      return frame.sample(ps, uniforms, c, temperature);
    }
  }

  @Override
  public NDArray clipLogits(ParameterStore ps, NDArray clip, NDArray labels, boolean training) {
    Shape s = clipShape(clip);
    return frame.logits(ps, frames(clip), clipCondition(clip, labels), training)
        .reshape(s.get(0), s.get(1), numCodes, height, width);
  }

  @Override
  public NDArray clipNats(ParameterStore ps, NDArray clip, NDArray labels, boolean training) {
    clipShape(clip);
    return frame.natsPerCode(ps, frames(clip), clipCondition(clip, labels), training);
  }

  @Override
  public NDArray frameBits(ParameterStore ps, NDArray clip, NDArray labels, boolean withPast) {
    Shape s = clipShape(clip);
    long b = s.get(0);
    long t = s.get(1);
    PriorCondition condition = withPast ? clipCondition(clip, labels)
        : new PriorCondition(perFrame(labels, t), null,
            start(clip.getManager(), clip.getDevice(), b * t, context));
    NDArray logp = frame.logProbability(ps, frames(clip), condition, false).reshape(b, t);
    return ScalarOps.div(logp.neg(), (double) height * width * LN2);
  }

  /**
   * The per-frame network's condition for every frame of the clip, folded into the batch (B T):
   * frame f's past is frames f - context .. f - 1 of the clip preceded by {@code context} starts,
   * so all frames go through the network together.
   */
  private PriorCondition clipCondition(NDArray clip, NDArray labels) {
    Shape s = clip.getShape();
    long b = s.get(0);
    int t = Math.toIntExact(s.get(1));
    NDArray padded = start(clip.getManager(), clip.getDevice(), b, context).concat(clip, 1);
    NDList windows = new NDList();
    for (int f = 0; f < t; f++) {
      windows.add(Slicing.narrow(padded, 1, f, f + context));
    }
    NDArray past = NDArrays.stack(windows, 1).reshape(b * t, context, height, width);
    return new PriorCondition(perFrame(labels, t), null, past);
  }

  /** A clip (B, T, h, w) as frames (B T, h, w). */
  private NDArray frames(NDArray clip) {
    return clip.reshape(-1, height, width);
  }

  @Override
  public NDArray sampleFuture(ParameterStore ps, NDArray clip, int given, NDArray uniforms,
      NDArray labels, double temperature) {
    Shape s = clipShape(clip);
    long b = s.get(0);
    int t = Math.toIntExact(s.get(1));
    if (given < 0 || given > t) {
      throw new IllegalArgumentException("given frames must be in [0, " + t + "], got " + given);
    }
    if (!uniforms.getShape().equals(s)) {
      throw new IllegalArgumentException("uniforms must have the clip's shape " + s + ", got "
          + uniforms.getShape());
    }
    NDArray out = clip.duplicate();
    for (int f = given; f < t; f++) {
      try (NDManager scope = clip.getManager().newSubManager()) {
        NDArray past = f == 0 ? null
            : scoped(out.get(new NDIndex(":, {}:{}", Math.max(0, f - context), f)), scope);
        NDArray codes = scope.zeros(new Shape(b, height, width), DataType.INT64, clip.getDevice());
        NDArray u = scoped(uniforms.get(new NDIndex(":, {}", f)), scope);
        PriorCondition c = frameCondition(codes.getShape(), scope, clip.getDevice(),
            new PriorCondition(labels, null, past));
        frame.sampleInto(ps, codes, u, c, temperature, 0, height * width, null);
        out.set(new NDIndex(":, {}", f), codes);
      }
    }
    return out;
  }

  /**
   * The per-frame network's condition: the labels, and the past cut to the last {@code context}
   * frames or preceded by starts, on {@code manager}.
   */
  private PriorCondition frameCondition(Shape grid, NDManager manager, Device device,
      PriorCondition condition) {
    NDArray labels = condition == null ? null : condition.labels();
    NDArray past = condition == null ? null : condition.pastCodes();
    if (condition != null && condition.upperCodes() != null) {
      throw new IllegalArgumentException("video_pixelcnn takes no upper-level codes");
    }
    long b = grid.get(0);
    int have = 0;
    if (past != null) {
      Shape p = past.getShape();
      if (p.dimension() != 4 || p.get(0) != b || p.get(2) != grid.get(1) || p.get(3) != grid.get(2)) {
        throw new IllegalArgumentException("past codes must be (" + b + ", T', " + grid.get(1) + ", "
            + grid.get(2) + "), got " + p);
      }
      have = Math.toIntExact(p.get(1));
    }
    NDArray window;
    if (have >= context) {
      window = have == context ? past : past.get(new NDIndex(":, {}:", have - context));
    } else {
      NDArray starts = start(manager, device, b, context - have);
      window = have == 0 ? starts : starts.concat(past, 1);
    }
    return new PriorCondition(labels, null, window);
  }

  /** (b, frames, h, w) filled with the start code K. */
  private NDArray start(NDManager manager, Device device, long b, int frames) {
    return manager.full(new Shape(b, frames, height, width), numCodes, DataType.INT64, device);
  }

  /** labels (B) repeated for each of the T frames folded into the batch (B * T); null stays null. */
  private static NDArray perFrame(NDArray labels, long t) {
    return labels == null ? null : labels.expandDims(1).repeat(1, t).reshape(-1);
  }

  private Shape clipShape(NDArray clip) {
    Shape s = clip.getShape();
    if (s.dimension() != 4 || s.get(2) != height || s.get(3) != width) {
      throw new IllegalArgumentException("clip codes must be (B, T, " + height + ", " + width
          + "), got " + s);
    }
    return s;
  }

  private static NDArray scoped(NDArray a, NDManager scope) {
    a.attach(scope);
    return a;
  }

  /** codes, labels (if class-conditional), past codes (B, T', h, w) (optional). */
  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    int i = 1;
    NDArray labels = frame.classConditional() ? inputs.get(i++) : null;
    NDArray past = inputs.size() > i ? inputs.get(i) : null;
    return new NDList(logits(ps, inputs.get(0), new PriorCondition(labels, null, past), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return frame.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    frame.initialize(manager, dataType, inputShapes);
  }

  /** Initialises the parameters on the manager's device. */
  public VideoPixelCnn initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1, height, width));
    return this;
  }
}
