package org.vqlab.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.vqlab.core.config.ConfigError;
import org.vqlab.core.config.Section;
import org.vqlab.core.plugin.PluginFactory;
import org.vqlab.core.plugin.PluginKind;
import org.vqlab.core.plugin.PluginRegistry;

/** Every config/dataset/*.conf binds to its plugin's record; bad values name the key. */
class DatasetConfigTest {
  /** The plugin ships its options as resources; in tests they are files under target/classes. */
  private static final Path DIR = Path.of("src", "main", "resources", "config", "dataset").toAbsolutePath();

  private static Section section(String name, String overrides) {
    Config c = ConfigFactory.parseString(overrides).withFallback(ConfigFactory.parseFile(DIR.resolve(name + ".conf").toFile()));
    return new Section("dataset", c.resolve());
  }

  @Test
  void everyRegisteredDatasetHasAConfigFileWhoseKeysAreAllCommented() throws Exception {
    TreeMap<String, PluginFactory> all = PluginRegistry.load().all(PluginKind.DATASET);
    for (Map.Entry<String, PluginFactory> e : all.entrySet()) {
      Path file = DIR.resolve(e.getKey() + ".conf");
      assertTrue(Files.isRegularFile(file), file.toString());
      Section s = section(e.getKey(), "root = /tmp");
      assertEquals(e.getKey(), s.type());
      Record r = e.getValue().validate(s);
      assertEquals(e.getValue().configType(), r.getClass());
      // Every record component is a key in the file, and each key line follows a comment line.
      List<String> lines = Files.readAllLines(file);
      for (var component : r.getClass().getRecordComponents()) {
        String key = org.vqlab.core.config.ConfigBinder.snake(component.getName());
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).startsWith(key + " = ")) {
            at = i;
          }
        }
        assertTrue(at > 0, file + " declares " + key);
        assertTrue(lines.get(at - 1).startsWith("#") || lines.get(at - 1).matches("\\w+ = .*"),
            file + ": comment before " + key);
      }
    }
  }

  @Test
  void fashionMnistDefaults() {
    IdxDatasetConfig c = section("fashion_mnist", "").bind(IdxDatasetConfig.class);
    assertNull(c.root());
    assertEquals("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/", c.mirror());
    assertEquals(IdxDataset.FASHION_MNIST.mirror(), c.mirror());
    assertEquals(List.of(-0.5, 0.5), c.normalization());
    assertEquals(0, c.subset());
    assertEquals(0, c.shuffleSeed());
  }

  @Test
  void movingDefaultsAreTwentyFramesOf64WithTwoItems() {
    MovingItemsConfig c = section("moving_fashion_mnist", "").bind(MovingItemsConfig.class);
    assertEquals(20, c.frames());
    assertEquals(64, c.frameSize());
    assertEquals(2, c.numItems());
    assertEquals(IdxDataset.FASHION_MNIST.mirror(), c.mirror());
    assertEquals(IdxDataset.MNIST.mirror(),
        section("moving_mnist", "").bind(MovingItemsConfig.class).mirror());
  }

  @Test
  void fullMappingOfImageFolder() {
    ImageFolderConfig c = section("image_folder", "root = /data/faces, test_root = /data/faces-test, "
        + "test_fraction = 0.2, size = 32, color = gray, normalization = [0, 1], subset = 500, "
        + "shuffle_seed = 9, flip = true").bind(ImageFolderConfig.class);
    assertEquals(new ImageFolderConfig("/data/faces", "/data/faces-test", 0.2, 32, ColorMode.GRAY,
        List.of(0.0, 1.0), 500, 9, true), c);
  }

  @Test
  void imageFolderRootIsRequired() {
    ConfigError e = assertThrows(ConfigError.class, () -> section("image_folder", "").bind(ImageFolderConfig.class));
    assertTrue(e.getMessage().contains("dataset.root"), e.getMessage());
  }

  @Test
  void invalidValuesNameTheKey() {
    ConfigError n = assertThrows(ConfigError.class,
        () -> section("cifar10", "normalization = [1, 0]").bind(Cifar10Config.class));
    assertTrue(n.getMessage().contains("normalization must have high > low"), n.getMessage());
    ConfigError s = assertThrows(ConfigError.class,
        () -> section("mnist", "subset = -1").bind(IdxDatasetConfig.class));
    assertTrue(s.getMessage().contains("subset must be >= 0"), s.getMessage());
    ConfigError f = assertThrows(ConfigError.class,
        () -> section("moving_mnist", "frame_size = 20").bind(MovingItemsConfig.class));
    assertTrue(f.getMessage().contains("frame_size must be >= 28"), f.getMessage());
    ConfigError u = assertThrows(ConfigError.class,
        () -> section("fashion_mnist", "flip = true").bind(IdxDatasetConfig.class));
    assertTrue(u.getMessage().contains("unknown key 'dataset.flip'"), u.getMessage());
    ConfigError m = assertThrows(ConfigError.class,
        () -> section("cifar10", "mirror = \"ftp://x\"").bind(Cifar10Config.class));
    assertTrue(m.getMessage().contains("mirror must be an http"), m.getMessage());
  }

  @Test
  void downsamplingCheckNamesDatasetSizeAndFactor() {
    VqDatasets.checkDownsampling(new Shape(1, 28, 28), 4, "fashion_mnist");
    VqDatasets.checkDownsampling(new Shape(1, 20, 64, 64), 16, "moving_mnist");
    ConfigError e = assertThrows(ConfigError.class,
        () -> VqDatasets.checkDownsampling(new Shape(1, 28, 28), 8, "fashion_mnist"));
    assertTrue(e.getMessage().startsWith("dataset 'fashion_mnist' has images of 28 x 28, which the "
        + "model cannot downsample evenly by a factor of 8"), e.getMessage());
    assertTrue(e.getMessage().contains("e.g. 32"), e.getMessage());
    ConfigError v = assertThrows(ConfigError.class,
        () -> VqDatasets.checkDownsampling(new Shape(3, 16, 48, 40), 16, "video_folder"));
    assertTrue(v.getMessage().contains("48 x 40"), v.getMessage());
  }
}
