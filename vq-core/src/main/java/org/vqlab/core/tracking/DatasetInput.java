package org.vqlab.core.tracking;

import java.util.Map;

/**
 * The data a launch trains and evaluates on, as trackers record it (MLflow's run inputs).
 *
 * @param name the dataset option ({@code fashion_mnist}, {@code image_folder}, ...)
 * @param source where the data comes from, as JSON (the dataset section of the resolved config)
 * @param digest a short content digest of the items the launch sees (every split)
 * @param splits the number of items per split ({@code train}, {@code test})
 */
public record DatasetInput(String name, String source, String digest, Map<String, Long> splits) {
  public DatasetInput {
    splits = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(splits));
  }
}
