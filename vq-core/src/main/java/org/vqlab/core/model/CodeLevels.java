package org.vqlab.core.model;

import java.util.ArrayList;
import java.util.List;

/** Names of the code levels of a hierarchy, top first, as metrics and files use them. */
public final class CodeLevels {
  private CodeLevels() {}

  /** "bottom" alone, "top"/"bottom", "top"/"middle"/"bottom", else levelN-1 .. level0. */
  public static List<String> names(int levels) {
    if (levels == 1) {
      return List.of("bottom");
    } else if (levels == 2) {
      return List.of("top", "bottom");
    } else if (levels == 3) {
      return List.of("top", "middle", "bottom");
    }
    List<String> names = new ArrayList<>();
    for (int i = levels - 1; i >= 0; i--) {
      names.add("level" + i);
    }
    return names;
  }

  /**
   * The grids of one level whose quantizer gives {@code stages} codes per position: the level's
   * own name for one, else {@code <level>_stage1} .. {@code <level>_stageS} (stage 1 first).
   */
  public static List<String> stageNames(String level, int stages) {
    if (stages == 1) {
      return List.of(level);
    }
    List<String> names = new ArrayList<>();
    for (int s = 1; s <= stages; s++) {
      names.add(level + "_stage" + s);
    }
    return names;
  }
}
