package org.vqlab.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {
  enum Init { UNIFORM, KMEANS }

  record Inner(int k, String name) {}

  record Settings(int numCodes, double decay, boolean zeroDebias, Init init, List<Integer> sizes,
      String root, Inner inner) {
    Settings {
      if (decay <= 0 || decay >= 1) {
        throw new IllegalArgumentException("decay must be in (0, 1), got " + decay);
      }
    }
  }

  private static Section section(String hocon) {
    return Section.root(ConfigFactory.parseString(hocon).resolve()).child("q");
  }

  private static final String FULL = "q { type = ema, num_codes = 512, decay = 0.99, zero_debias = true,"
      + " init = KMeans, sizes = [1, 2], root = null, inner { k = 3, name = x } }";

  @Test
  void fullMapping() {
    Settings s = section(FULL).bind(Settings.class);
    assertEquals(new Settings(512, 0.99, true, Init.KMEANS, List.of(1, 2), null, new Inner(3, "x")), s);
    assertNull(s.root());
  }

  @Test
  void unknownKeyNamesFullKeyAndClosest() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> section(FULL.replace("decay = 0.99", "decay = 0.99, num_code = 3")).bind(Settings.class));
    assertTrue(e.getMessage().contains("unknown key 'q.num_code'"), e.getMessage());
    assertTrue(e.getMessage().contains("closest known key: 'q.num_codes'"), e.getMessage());
  }

  @Test
  void wrongTypeNamesKeyExpectedAndGiven() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> section(FULL.replace("num_codes = 512", "num_codes = lots")).bind(Settings.class));
    assertTrue(e.getMessage().contains("'q.num_codes'"), e.getMessage());
    assertTrue(e.getMessage().contains("expected an integer"), e.getMessage());
    assertTrue(e.getMessage().contains("got string \"lots\""), e.getMessage());
  }

  @Test
  void missingValueNamesKey() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> section(FULL.replace("decay = 0.99,", "")).bind(Settings.class));
    assertTrue(e.getMessage().contains("missing required value 'q.decay'"), e.getMessage());
    ConfigError marked = assertThrows(ConfigError.class,
        () -> section(FULL.replace("decay = 0.99", "decay = \"???\"")).bind(Settings.class));
    assertTrue(marked.getMessage().contains("missing required value 'q.decay'"), marked.getMessage());
  }

  @Test
  void invalidEnumListsChoices() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> section(FULL.replace("KMeans", "random")).bind(Settings.class));
    assertTrue(e.getMessage().contains("[uniform, kmeans]"), e.getMessage());
  }

  @Test
  void constructorValidationBecomesConfigError() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> section(FULL.replace("0.99", "1.5")).bind(Settings.class));
    assertTrue(e.getMessage().contains("invalid 'q': decay must be in (0, 1), got 1.5"), e.getMessage());
  }

  @Test
  void snakeCase() {
    assertEquals("num_codes", ConfigBinder.snake("numCodes"));
    assertEquals("zero_debias", ConfigBinder.snake("zeroDebias"));
  }
}
