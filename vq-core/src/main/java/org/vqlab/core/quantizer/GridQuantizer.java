package org.vqlab.core.quantizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * A quantizer whose codes form a product grid: channel c takes one of L_c values, so a code is a
 * vector of digits d_c in [0, L_c) and its index the mixed-radix number sum_c d_c prod_{c' < c}
 * L_c' (the first channel is the least significant); K = prod_c L_c and D = the number of
 * channels. No codebook is stored: {@link #values} maps digits to the grid's coordinates. FSQ (any
 * levels) and LFQ (every level 2) are such grids; they differ in how rows are rounded to digits.
 *
 * <p>Everything is computed in float32 whatever the input's type (see {@link QuantizerPrecision}).
 */
public abstract class GridQuantizer extends AbstractBlock implements Quantizer {
  /** Codes per position that counts, histograms and priors (all K-sized) still handle. */
  static final long MAX_CODES = 1L << 24;

  protected final int[] levels;
  private final long[] radix;
  private final int numCodes;

  protected GridQuantizer(List<Integer> levels) {
    this.levels = levels.stream().mapToInt(Integer::intValue).toArray();
    radix = new long[this.levels.length];
    long k = 1;
    for (int c = 0; c < this.levels.length; c++) {
      radix[c] = k;
      k *= this.levels[c];
    }
    numCodes = (int) k;
  }

  /** Checks a grid: at least one channel, every level at least 2, K = prod levels at most 2^24. */
  static void checkLevels(String key, List<Integer> levels) {
    if (levels == null || levels.isEmpty()) {
      throw new IllegalArgumentException(key + " must list at least one level, e.g. [8, 5, 5, 5]");
    }
    long k = 1;
    for (Integer l : levels) {
      if (l == null || l < 2) {
        throw new IllegalArgumentException(key + " entries must be >= 2, got " + levels);
      }
      k *= l;
      if (k > MAX_CODES) {
        throw new IllegalArgumentException(key + " " + levels + " gives more than 2^24 codes");
      }
    }
  }

  /**
   * One step over rows {@code z} (N, D) float32 carrying the encoder's gradient: the grid values
   * with the straight-through gradient (N, D), the digits (N, D, any numeric type holding
   * integers), and the three loss scalars of {@link QuantizerOutput}.
   */
  protected record Rows(NDArray quantized, NDArray digits, NDArray codebookLoss,
      NDArray commitmentLoss, NDArray loss) {}

  protected abstract Rows quantizeRows(ParameterStore parameters, NDArray z, boolean training);

  /** The grid coordinates (N, D) float32 of digits (N, D) holding integers. */
  protected abstract NDArray values(NDArray digits);

  @Override
  public int numCodes() {
    return numCodes;
  }

  @Override
  public int codeDim() {
    return levels.length;
  }

  /** The levels per channel. */
  public int[] levels() {
    return levels.clone();
  }

  @Override
  public QuantizerOutput quantize(ParameterStore parameters, NDArray input, boolean training) {
    CodeLayout layout = CodeLayout.of(input, codeDim());
    NDArray flat = layout.flatten(QuantizerPrecision.toFloat32(input));
    Rows rows = quantizeRows(parameters, flat, training);
    NDArray indices = indexOf(rows.digits());
    NDArray counts = CodebookSearch.counts(indices, numCodes);
    NDArray quantized = QuantizerPrecision.restore(layout.unflatten(rows.quantized()), input);
    return new QuantizerOutput(quantized, indices.reshape(layout.indexShape()),
        rows.codebookLoss(), rows.commitmentLoss(), rows.loss(),
        CodebookSearch.perplexity(counts), CodebookSearch.codesUsed(counts));
  }

  /** Mixed-radix indices (N) int64 of digits (N, D). */
  NDArray indexOf(NDArray digits) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray r = constant(digits.getManager(), radix).toDevice(digits.getDevice(), false);
      NDArray index = digits.toType(DataType.INT64, false).mul(r).sum(new int[] {1});
      NDScope.unregister(index);
      return index;
    }
  }

  /** Digits (N, D) float64 of indices of any shape: floor(i / radix_c) mod L_c. */
  NDArray digitsOf(NDArray indices) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = indices.getManager();
      // float64 holds indices below 2^24 exactly, and floor of an exact quotient is exact.
      NDArray i = indices.flatten().toType(DataType.FLOAT64, false).expandDims(1);
      NDArray r = constant(m, radix).toType(DataType.FLOAT64, false)
          .toDevice(indices.getDevice(), false);
      long[] l = new long[levels.length];
      for (int c = 0; c < l.length; c++) {
        l[c] = levels[c];
      }
      NDArray lv = constant(m, l).toType(DataType.FLOAT64, false)
          .toDevice(indices.getDevice(), false);
      NDArray digits = i.div(r).floor().mod(lv);
      NDScope.unregister(digits);
      return digits;
    }
  }

  private static NDArray constant(NDManager manager, long[] values) {
    return manager.create(values, new Shape(values.length));
  }

  @Override
  public NDArray decode(ParameterStore parameters, NDArray indices) {
    CodeLayout layout = CodeLayout.ofIndices(indices.getShape(), codeDim());
    NDArray flat;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      flat = values(digitsOf(indices));
      NDScope.unregister(flat);
    }
    return layout.unflatten(flat);
  }

  /** The whole grid (K, D), row k = decode(k): the implicit codebook, in the store's manager. */
  @Override
  public NDArray codebook(ParameterStore parameters) {
    try (NDArray all = parameters.getManager().arange(0, numCodes, 1, DataType.INT64)) {
      return decode(parameters, all);
    }
  }

  @Override
  public long restarts() {
    return 0;
  }

  @Override
  protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
      PairList<String, Object> params) {
    QuantizerOutput out = quantize(parameterStore, inputs.singletonOrThrow(), training);
    return new NDList(out.quantized(), out.indices(), out.codebookLoss(), out.commitmentLoss(),
        out.loss(), out.perplexity(), out.codesUsed());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    CodeLayout layout = new CodeLayout(inputShapes[0], codeDim());
    Shape scalar = new Shape();
    return new Shape[] {inputShapes[0], layout.indexShape(), scalar, scalar, scalar, scalar, scalar};
  }

  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    // Own state (scales, flags) stays float32 in a half-precision model.
    super.initialize(manager, DataType.FLOAT32, inputShapes);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(levels=" + java.util.Arrays.toString(levels) + ", K="
        + numCodes + ")";
  }
}
