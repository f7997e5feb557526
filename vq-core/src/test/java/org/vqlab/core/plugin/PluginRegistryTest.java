package org.vqlab.core.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.config.ComposedConfig;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.quantizer.Quantizer;
import org.vqlab.core.quantizer.QuantizerOutput;
import org.vqlab.core.quantizer.Quantizers;
import org.vqlab.core.testing.ConfigDirs;

class PluginRegistryTest {
  @TempDir
  Path dir;

  @Test
  void testOnlyPluginIsSelectableByConfig() {
    // The project directory knows nothing of "identity": the option file comes from the classpath.
    ConfigDirs.write(dir, "config.conf", "defaults = [{quantizer = standard_placeholder}]\n");
    ConfigDirs.write(dir, "quantizer/standard_placeholder.conf", "type = none\n");
    ComposedConfig c = ConfigDirs.composer(dir).compose(List.of("quantizer=identity", "quantizer.code_dim=3"));
    assertEquals("identity", c.config().getString("quantizer.type"));

    PluginRegistry registry = PluginRegistry.load();
    Quantizer q = new Quantizers(registry).create(c.root().child("quantizer"));
    assertInstanceOf(IdentityQuantizerPlugin.IdentityQuantizer.class, q);
    assertEquals(3, q.codeDim());
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray z = m.arange(24f).reshape(2, 3, 2, 2);
      QuantizerOutput out = q.quantize(null, z, false);
      assertArrayEquals(z.toFloatArray(), out.quantized().toFloatArray());
      assertEquals(new Shape(2, 2, 2), out.indices().getShape());
    }
  }

  @Test
  void registryListsTheTestPluginWithItsSource() {
    PluginRegistry registry = PluginRegistry.load();
    PluginInfo info = registry.plugins().stream().filter(p -> p.name().equals("identity")).findFirst().orElseThrow();
    assertEquals(PluginKind.QUANTIZER, info.kind());
    assertEquals("vq-core (tests)", info.source());
    assertEquals(IdentityQuantizerPlugin.class, info.module());
  }

  @Test
  void unknownNameListsKnownNames() {
    PluginRegistry registry = PluginRegistry.load();
    ConfigError e = assertThrows(ConfigError.class, () -> registry.factory(PluginKind.QUANTIZER, "nope"));
    assertTrue(e.getMessage().contains("unknown quantizer 'nope'"), e.getMessage());
    assertTrue(e.getMessage().contains("identity"), e.getMessage());
  }

  @Test
  void classpathGroupOptionsAreListed() {
    ConfigDirs.write(dir, "config.conf", "defaults = []\n");
    ConfigError e = assertThrows(ConfigError.class,
        () -> ConfigDirs.composer(dir).compose(List.of("quantizer=nope")));
    assertTrue(e.getMessage().contains("identity"), e.getMessage());
  }
}
