package org.vqlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A command's short keys become config overrides; everything else passes through unchanged. */
class ShortKeysTest {
  @Test
  void sampleShortKeysMapToTheSampleSection() {
    assertEquals(List.of("run=out/x", "sample.n=16", "sample.temperature=0.7", "sample.label=3",
            "sample.sampler=plain", "sample.seed=4", "prior.n=2", "+n.x=1"),
        new StageCommands.Sample().expandShortKeys(List.of("run=out/x", "n=16", "temperature=0.7",
            "label=3", "sampler=plain", "sample.seed=4", "prior.n=2", "+n.x=1")));
  }

  @Test
  void otherCommandsHaveNone() {
    assertEquals(List.of("n=16"), new StageCommands.Train().expandShortKeys(List.of("n=16")));
  }
}
