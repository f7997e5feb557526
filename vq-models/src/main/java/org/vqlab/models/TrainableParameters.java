package org.vqlab.models;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters an optimiser may update: those that require a gradient. State kept by other means
 * (EMA codebooks, cluster sizes) is a parameter so it is saved, but is never handed to the optimiser.
 */
public final class TrainableParameters {
  private TrainableParameters() {}

  public static List<Parameter> of(Block block) {
    List<Parameter> list = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient()) {
        list.add(p.getValue());
      }
    }
    return list;
  }
}
