package org.vqlab.core.train;

/** A batch of arrays that a {@link BatchSource} built; closing frees them (and throws nothing). */
public interface Batch extends AutoCloseable {
  @Override
  void close();
}
