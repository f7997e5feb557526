package org.vqlab.experiments.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlflowLimitsTest {

  @Test
  void truncatesToExactlyTheLimitWithAMarker() {
    String value = "x".repeat(7000);
    String cut = MlflowLimits.truncate(value, 6000);
    assertEquals(6000, cut.length());
    assertTrue(cut.endsWith("... [truncated, 7000 chars]"), cut.substring(5950));
    assertEquals("x".repeat(6000 - "... [truncated, 7000 chars]".length()),
        cut.substring(0, cut.indexOf('.')));
    assertEquals("short", MlflowLimits.truncate("short", 6000));
    assertEquals(6000, MlflowLimits.truncate("y".repeat(6000), 6000).length());
  }

  @Test
  void neverSplitsASurrogatePair() {
    // 275 chars: the marker "... [truncated, 275 chars]" is 26 long, so 74 would be kept, and
    // char 73 is the high half of an emoji: it goes too, leaving 73 + 26 = 99 chars.
    String value = "a".repeat(73) + "\uD83D\uDE00" + "b".repeat(200);
    String cut = MlflowLimits.truncate(value, 100);
    assertEquals(99, cut.length());
    assertEquals("a".repeat(73) + "... [truncated, 275 chars]", cut);
  }

  @Test
  void namesKeepAllowedCharactersAndFitTheKeyLimit() {
    assertEquals("train/loss", MlflowLimits.name("train/loss"));
    assertEquals("a.b-c d:e_f", MlflowLimits.name("a.b-c d:e_f"));
    assertEquals("a_b_c", MlflowLimits.name("a|b?c"));
    assertEquals(250, MlflowLimits.name("k".repeat(300)).length());
  }

  @Test
  void valuesContainingASecretAreRedacted() {
    List<String> secrets = List.of("tok-123");
    assertEquals(MlflowLimits.REDACTED, MlflowLimits.value("Bearer tok-123", 6000, secrets));
    assertEquals("tok-12", MlflowLimits.value("tok-12", 6000, secrets));
    Map<String, String> in = new LinkedHashMap<>();
    in.put("a", "1");
    in.put("b|x", "tok-123");
    in.put("b_x", "later duplicate");
    assertEquals(Map.of("a", "1", "b_x", MlflowLimits.REDACTED), MlflowLimits.entries(in, 6000, secrets));
  }

  @Test
  void chunksKeepOrderAndSize() {
    List<Integer> items = java.util.stream.IntStream.range(0, 250).boxed().toList();
    List<List<Integer>> chunks = MlflowLimits.chunks(items, 100);
    assertEquals(List.of(100, 100, 50), chunks.stream().map(List::size).toList());
    assertEquals(200, chunks.get(2).get(0));
  }

  @Test
  void metricBatchJsonSpellsNonFiniteValuesAsProtobufDoes() {
    String json = MlflowConnection.metricBatchJson("r1", List.of(
        new MlflowConnection.Point("m", 1.5, 3, 1000),
        new MlflowConnection.Point("m", Double.NaN, 4, 1001),
        new MlflowConnection.Point("m", Double.NEGATIVE_INFINITY, 5, 1002)));
    assertEquals("{\"run_id\":\"r1\",\"metrics\":[{\"key\":\"m\",\"value\":1.5,\"timestamp\":1000,\"step\":3},"
        + "{\"key\":\"m\",\"value\":\"NaN\",\"timestamp\":1001,\"step\":4},"
        + "{\"key\":\"m\",\"value\":\"-Infinity\",\"timestamp\":1002,\"step\":5}]}", json);
  }
}
