package org.vqlab.testkit;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** A block's parameters through DJL's save format and back, as a checkpoint stores them. */
public final class SavedParameters {
  private SavedParameters() {}

  /** Saves {@code from}'s parameters and loads them into {@code to} (initialised alike). */
  public static void copy(Block from, Block to, NDManager manager)
      throws IOException, MalformedModelException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    from.saveParameters(new DataOutputStream(bytes));
    to.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }
}
