package org.vqlab.core.codes;

import ai.djl.ndarray.NDArray;
import org.vqlab.core.train.Batch;
import java.util.List;

/**
 * A batch from a {@link CodeStore}: per level (top first) int64 codes (B, h, w), or (B, T, h, w)
 * for clips, and int64 labels (B), null when the store has none.
 */
public record CodeBatch(List<NDArray> levels, NDArray labels) implements Batch {
  public CodeBatch {
    levels = List.copyOf(levels);
  }

  public NDArray level(int index) {
    return levels.get(index);
  }

  public long size() {
    return levels.get(0).getShape().get(0);
  }

  @Override
  public void close() {
    levels.forEach(NDArray::close);
    if (labels != null) {
      labels.close();
    }
  }
}
