package org.vqlab.core.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.util.Progress;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * Moving (Fashion-)MNIST: clips of T frames of S x S in which {@code numItems} 28 x 28 items move
 * with random constant velocities and bounce off the borders, overlaps composed by maximum. Clip i
 * is a pure function of (seed, split, i), generated on demand, so clips need no storage and are
 * identical for the same seed. Training clips take their items only from the train split of the
 * source, test clips only from its test split. Items are (1, T, S, S), without labels.
 */
public final class MovingItemsDataset extends ByteItemDataset {
  private final IdxDataset source;
  private final int frames;
  private final int frameSize;
  private final int numItems;
  private final int numClips;
  private final double minSpeed;
  private final double maxSpeed;
  private final long seed;

  private MovingItemsDataset(Builder b) {
    super(b);
    this.source = b.source.optSplit(b.split).build();
    this.frames = b.frames;
    this.frameSize = b.frameSize;
    this.numItems = b.numItems;
    this.numClips = b.numClips;
    this.minSpeed = b.minSpeed;
    this.maxSpeed = b.maxSpeed;
    this.seed = b.seed;
  }

  public static Builder builder(IdxDataset.Catalog catalog) {
    return new Builder(catalog);
  }

  /** The dataset items are drawn from (same split as this one). */
  public IdxDataset source() {
    return source;
  }

  /** One clip's plan: the source items, and their top-left corners per frame [t][item] = {x, y}. */
  public record Plan(long[] sourceIndices, int[][][] positions) {}

  @Override
  protected ItemSource load(Progress progress) throws IOException {
    source.prepare(progress);
    Shape s = source.itemShape();
    int side = (int) s.get(1);
    if (s.get(1) != s.get(2) || side > frameSize) {
      throw new DatasetError("moving items of " + s.get(1) + " x " + s.get(2) + " from "
          + source.name() + " do not fit frames of " + frameSize + " x " + frameSize
          + " (dataset.frame_size); expected frame_size >= " + side);
    }
    return new ItemSource() {
      @Override
      public long size() {
        return numClips;
      }

      @Override
      public Shape itemShape() {
        return new Shape(1, frames, frameSize, frameSize);
      }

      @Override
      public int numClasses() {
        return 0;
      }

      @Override
      public void copyItem(long index, byte[] dst, int offset) {
        render(plan(index), dst, offset);
      }

      @Override
      public int label(long index) {
        return -1;
      }
    };
  }

  /** The plan of clip {@code clip} (a position in the full clip list, before any subset). */
  public Plan plan(long clip) {
    int side = (int) source.itemShape().get(1);
    int limit = frameSize - side;
    SplittableRandom rng = new SplittableRandom(SplitMix64.mix(seed, split().ordinal(), clip));
    long[] items = new long[numItems];
    double[] x = new double[numItems];
    double[] y = new double[numItems];
    double[] vx = new double[numItems];
    double[] vy = new double[numItems];
    for (int k = 0; k < numItems; k++) {
      items[k] = rng.nextLong(source.size());
      x[k] = rng.nextDouble() * limit;
      y[k] = rng.nextDouble() * limit;
      double angle = rng.nextDouble() * 2 * Math.PI;
      double speed = minSpeed + rng.nextDouble() * (maxSpeed - minSpeed);
      vx[k] = speed * Math.cos(angle);
      vy[k] = speed * Math.sin(angle);
    }
    int[][][] pos = new int[frames][numItems][2];
    for (int t = 0; t < frames; t++) {
      for (int k = 0; k < numItems; k++) {
        pos[t][k][0] = (int) Math.round(x[k]);
        pos[t][k][1] = (int) Math.round(y[k]);
        double[] nx = bounce(x[k] + vx[k], vx[k], limit);
        x[k] = nx[0];
        vx[k] = nx[1];
        double[] ny = bounce(y[k] + vy[k], vy[k], limit);
        y[k] = ny[0];
        vy[k] = ny[1];
      }
    }
    return new Plan(items, pos);
  }

  /** Reflects a coordinate that left [0, limit] back inside and reverses its velocity. */
  private static double[] bounce(double p, double v, int limit) {
    if (limit == 0) {
      return new double[] {0, v};
    }
    while (p < 0 || p > limit) {
      if (p < 0) {
        p = -p;
        v = -v;
      } else {
        p = 2.0 * limit - p;
        v = -v;
      }
    }
    return new double[] {p, v};
  }

  private void render(Plan plan, byte[] dst, int offset) {
    int side = (int) source.itemShape().get(1);
    int plane = frameSize * frameSize;
    java.util.Arrays.fill(dst, offset, offset + frames * plane, (byte) 0);
    byte[][] items = new byte[numItems][];
    for (int k = 0; k < numItems; k++) {
      items[k] = source.rawItem(plan.sourceIndices()[k]);
    }
    for (int t = 0; t < frames; t++) {
      int base = offset + t * plane;
      for (int k = 0; k < numItems; k++) {
        int px = plan.positions()[t][k][0];
        int py = plan.positions()[t][k][1];
        byte[] item = items[k];
        for (int r = 0; r < side; r++) {
          int row = base + (py + r) * frameSize + px;
          for (int c = 0; c < side; c++) {
            int v = item[r * side + c] & 0xff;
            if (v > (dst[row + c] & 0xff)) {
              dst[row + c] = (byte) v;
            }
          }
        }
      }
    }
  }

  public static final class Builder extends ByteItemDataset.Builder<Builder> {
    private final IdxDataset.Builder source;
    private int frames = 20;
    private int frameSize = 64;
    private int numItems = 2;
    private int numClips = 10000;
    private double minSpeed = 2;
    private double maxSpeed = 5;
    private long seed;

    private Builder(IdxDataset.Catalog catalog) {
      super("moving_" + catalog.name());
      this.source = IdxDataset.builder(catalog);
    }

    /** The builder of the source images (locations, mirror). */
    public Builder configureSource(java.util.function.Consumer<IdxDataset.Builder> edit) {
      edit.accept(source);
      return this;
    }

    public Builder optFrames(int frames) {
      this.frames = frames;
      return this;
    }

    public Builder optFrameSize(int frameSize) {
      this.frameSize = frameSize;
      return this;
    }

    public Builder optNumItems(int numItems) {
      this.numItems = numItems;
      return this;
    }

    public Builder optNumClips(int numClips) {
      this.numClips = numClips;
      return this;
    }

    /** Speeds in pixels per frame, drawn uniformly. */
    public Builder optSpeed(double min, double max) {
      this.minSpeed = min;
      this.maxSpeed = max;
      return this;
    }

    /** The generation seed: same seed, same clips. */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    @Override
    protected Builder self() {
      return this;
    }

    public MovingItemsDataset build() {
      if (frames <= 0 || numItems <= 0 || numClips <= 0 || !(maxSpeed >= minSpeed) || minSpeed < 0) {
        throw new IllegalArgumentException("moving items need frames, num_items and clips > 0 and "
            + "0 <= min_speed <= max_speed");
      }
      return new MovingItemsDataset(this);
    }
  }
}
