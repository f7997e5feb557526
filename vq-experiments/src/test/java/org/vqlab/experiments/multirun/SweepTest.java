package org.vqlab.experiments.multirun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.ConfigError;

class SweepTest {
  @Test
  void cartesianProductLastVaryingFastest() {
    List<List<String>> jobs = Sweep.expand(List.of("quantizer=standard,ema", "seed=1,2,3", "x=y"));
    assertEquals(6, jobs.size());
    assertEquals(List.of("quantizer=standard", "seed=1", "x=y"), jobs.get(0));
    assertEquals(List.of("quantizer=standard", "seed=2", "x=y"), jobs.get(1));
    assertEquals(List.of("quantizer=ema", "seed=3", "x=y"), jobs.get(5));
  }

  @Test
  void commasInsideBracketsAndQuotesDoNotSplit() {
    List<List<String>> jobs = Sweep.expand(List.of("betas=[0.9,0.99],[0.5,0.9]", "name=\"a,b\"", "~x"));
    assertEquals(2, jobs.size());
    assertEquals(List.of("betas=[0.9,0.99]", "name=\"a,b\"", "~x"), jobs.get(0));
    assertEquals("betas=[0.5,0.9]", jobs.get(1).get(0));
  }

  @Test
  void jobsAreNamedByTheirSweptArgumentsOnly() {
    List<String> args = List.of("name=x", "seed=1,2", "quantizer=standard,ema");
    List<Boolean> swept = Sweep.swept(args);
    assertEquals(List.of(false, true, true), swept);
    assertEquals(List.of("seed=2", "quantizer=standard"), Sweep.sweptOnly(Sweep.expand(args).get(2), swept));
  }

  @Test
  void malformedSweepValuesAreErrors() {
    assertThrows(ConfigError.class, () -> Sweep.expand(List.of("a=1,,2")));
    assertThrows(ConfigError.class, () -> Sweep.expand(List.of("a=[1,2")));
  }
}
