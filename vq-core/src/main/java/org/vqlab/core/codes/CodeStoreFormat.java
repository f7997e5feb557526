package org.vqlab.core.codes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The code store file format, version 1 ({@code .vqc}). All integers are little-endian, so the
 * records can be read with {@code numpy.fromfile} as well as with {@link CodeStore}:
 *
 * <pre>
 * offset 0    8 bytes   magic "VQCODES\n"
 * offset 8    int32     format version (1)
 * offset 12   int32     n, the length of the JSON header
 * offset 16   n bytes   UTF-8 JSON header: {"format": "vqlab-codes", "version": 1, "split",
 *                       "items", "frames", "num_classes", "record_bytes",
 *                       "levels": [{"name", "num_codes", "height", "width", "bytes_per_code",
 *                       "stage" (residual stages after the first only: s for stage s + 1)}],
 *                       "provenance": {...}}
 * 16 + n      items records of record_bytes each:
 *               int32 label (-1 when the data has no labels),
 *               then for each level, top first, frames x height x width codes in raster order
 *               (frame, row, column), uint16 when num_codes <= 65536, else int32
 * end - 12    uint32    CRC-32 of all record bytes
 * end - 8     8 bytes   "VQCODEND"
 * </pre>
 *
 * Records have a fixed size, so item i is read with one positional read and a store never has to
 * fit in memory. A writer writes to {@code <name>.part} and renames it only after the trailer, so
 * a file with the final name is always complete.
 */
public final class CodeStoreFormat {
  public static final byte[] MAGIC = "VQCODES\n".getBytes(StandardCharsets.US_ASCII);
  public static final byte[] END = "VQCODEND".getBytes(StandardCharsets.US_ASCII);
  public static final int VERSION = 1;
  public static final int PREAMBLE = 16;
  public static final int TRAILER = 12;
  /** The file name extension. */
  public static final String EXTENSION = ".vqc";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CodeStoreFormat() {}

  static byte[] headerJson(CodeStoreHeader h) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "vqlab-codes");
    root.put("version", VERSION);
    root.put("split", h.split());
    root.put("items", h.items());
    root.put("frames", h.frames());
    root.put("num_classes", h.numClasses());
    root.put("record_bytes", h.recordBytes());
    ArrayNode levels = root.putArray("levels");
    for (CodeLevel l : h.levels()) {
      ObjectNode n = levels.addObject();
      n.put("name", l.name());
      n.put("num_codes", l.numCodes());
      n.put("height", l.height());
      n.put("width", l.width());
      n.put("bytes_per_code", l.bytesPerCode());
      if (l.stage() > 0) {
        n.put("stage", l.stage());
      }
    }
    root.set("provenance", JSON.valueToTree(h.provenance()));
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
  }

  @SuppressWarnings("unchecked")
  static CodeStoreHeader parseHeader(byte[] json, String file) throws IOException {
    var root = JSON.readTree(json);
    if (!"vqlab-codes".equals(root.path("format").asText())) {
      throw new IOException(file + ": the header's format is '" + root.path("format").asText()
          + "', expected 'vqlab-codes'");
    }
    List<CodeLevel> levels = new ArrayList<>();
    for (var n : root.path("levels")) {
      levels.add(new CodeLevel(n.path("name").asText(), n.path("num_codes").asInt(),
          n.path("height").asInt(), n.path("width").asInt(), n.path("stage").asInt(0)));
    }
    Map<String, Object> provenance = root.has("provenance")
        ? JSON.convertValue(root.get("provenance"), Map.class) : Map.of();
    CodeStoreHeader h = new CodeStoreHeader(root.path("split").asText(), root.path("items").asLong(),
        root.path("frames").asInt(), root.path("num_classes").asInt(), levels, provenance);
    if (root.path("record_bytes").asLong() != h.recordBytes()) {
      throw new IOException(file + ": record_bytes " + root.path("record_bytes").asLong()
          + " does not match the levels, which need " + h.recordBytes());
    }
    return h;
  }
}
