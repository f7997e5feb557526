package org.vqlab.experiments.tracking;

import com.typesafe.config.ConfigRenderOptions;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vqlab.core.config.Section;
import org.vqlab.core.data.VqDataset;
import org.vqlab.core.tracking.DatasetInput;

/** The {@link DatasetInput} of a launch: its dataset option, its config, and a content digest. */
public final class DatasetInputs {
  private DatasetInputs() {}

  /**
   * {@code dataset} is the config's dataset section; the digest is the first 8 bytes (hex) of the
   * SHA-256 over every split's items and labels in order, so that two runs on the same data (the
   * same subset and shuffle seed included) show the same digest, as MLflow expects.
   */
  public static DatasetInput of(Section dataset, VqDataset train, VqDataset test) {
    Map<String, VqDataset> splits = new LinkedHashMap<>();
    splits.put("train", train);
    splits.put("test", test);
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    Map<String, Long> sizes = new LinkedHashMap<>();
    ByteBuffer label = ByteBuffer.allocate(4);
    splits.forEach((name, split) -> {
      sizes.put(name, split.size());
      sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (long i = 0; i < split.size(); i++) {
        sha.update(split.rawItem(i));
        label.clear();
        sha.update(label.putInt(split.label(i)).array());
      }
    });
    String digest = HexFormat.of().formatHex(sha.digest(), 0, 8);
    String type = dataset.config().hasPath("type") ? dataset.config().getString("type") : dataset.path();
    String source = dataset.config().root().render(ConfigRenderOptions.concise());
    return new DatasetInput(type, source, digest, sizes);
  }
}
