package org.vqlab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vqlab.core.testing.FashionMnistFiles;

/** The download path against a local HTTP server on 127.0.0.1 serving files the test provides. */
class DownloadTest {
  @TempDir
  Path tmp;
  private HttpServer server;
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = served.get(exchange.getRequestURI().getPath());
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String mirror(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void downloadsRealFashionMnistAndVerifiesTheOfficialTable() throws IOException {
    Path src = FashionMnistFiles.require();
    for (String f : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
      served.put("/fm/" + f, Files.readAllBytes(src.resolve(f)));
    }
    Path downloads = tmp.resolve("cache");
    IdxDataset d = IdxDataset.builder(IdxDataset.FASHION_MNIST).optSplit(Split.TEST)
        .optLocations(new DataLocations(null, tmp.resolve("empty-env"), List.of(), downloads))
        .optMirror(mirror("/fm/")).build();
    d.prepare(null);
    assertEquals(10000, d.size());
    assertEquals(downloads.resolve("t10k-images-idx3-ubyte.gz"), d.imagesFile());
    assertArrayEquals(Files.readAllBytes(src.resolve("t10k-images-idx3-ubyte.gz")),
        Files.readAllBytes(downloads.resolve("t10k-images-idx3-ubyte.gz")));
    assertFalse(Files.exists(downloads.resolve("t10k-images-idx3-ubyte.gz.part")));
  }

  @Test
  void recompressedCopyIsAcceptedByItsContentDigest() throws IOException {
    // A mirror that gzips the same IDX bytes differently still matches the content digest.
    Path src = FashionMnistFiles.require();
    for (String f : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
      byte[] content;
      try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(src.resolve(f)))) {
        content = in.readAllBytes();
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
        gz.write(content);
      }
      served.put("/re/" + f, bytes.toByteArray());
    }
    IdxDataset d = IdxDataset.builder(IdxDataset.FASHION_MNIST).optSplit(Split.TEST)
        .optLocations(new DataLocations(null, null, List.of(), tmp.resolve("cache")))
        .optMirror(mirror("/re/")).build();
    d.prepare(null);
    assertEquals(10000, d.size());
  }

  @Test
  void checksumMismatchNamesTheUrlAndDiscardsTheFile() {
    served.put("/bad/train-images-idx3-ubyte.gz", "not mnist".getBytes(StandardCharsets.UTF_8));
    Path downloads = tmp.resolve("cache");
    IdxDataset d = IdxDataset.builder(IdxDataset.MNIST)
        .optLocations(new DataLocations(null, null, List.of(), downloads))
        .optMirror(mirror("/bad/")).build();
    DatasetError e = assertThrows(DatasetError.class, () -> d.prepare(null));
    String url = mirror("/bad/") + "train-images-idx3-ubyte.gz";
    assertTrue(e.getMessage().startsWith("checksum mismatch for " + url + ": SHA-256 "
        + Sha256.of("not mnist".getBytes(StandardCharsets.UTF_8))), e.getMessage());
    assertTrue(e.getMessage().contains("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"));
    assertFalse(Files.exists(downloads.resolve("train-images-idx3-ubyte.gz")));
    assertFalse(Files.exists(downloads.resolve("train-images-idx3-ubyte.gz.part")));
  }

  @Test
  void failedDownloadNamesUrlTriedPathsAndManualSteps() {
    Path env = tmp.resolve("env/fashion_mnist");
    Path system = tmp.resolve("usr-share");
    Path downloads = tmp.resolve("cache");
    IdxDataset d = IdxDataset.builder(IdxDataset.FASHION_MNIST)
        .optLocations(new DataLocations(null, env, List.of(system), downloads))
        .optMirror(mirror("/missing/")).build();
    DatasetError e = assertThrows(DatasetError.class, () -> d.prepare(null));
    String m = e.getMessage();
    assertTrue(m.contains("download of " + mirror("/missing/") + "train-images-idx3-ubyte.gz failed (HTTP 404"), m);
    assertTrue(m.contains("Looked in: [" + env + ", " + system + ", " + downloads + "]"), m);
    assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
    assertTrue(m.contains("copy the four files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
        + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz"), m);
  }

  @Test
  void searchOrderUsesVqlabDataThenSystemThenDownloads() {
    DataLocations l = DataLocations.standard("mnist", null, null, List.of(Path.of("/sys")),
        Map.of("VQLAB_DATA", "/data"));
    assertEquals(List.of(Path.of("/data/mnist"), Path.of("/sys"),
        Path.of(System.getProperty("user.home"), ".vqlab", "data", "mnist")), l.searchOrder());
    DataLocations rooted = DataLocations.standard("mnist", "/r", "/d", List.of(Path.of("/sys")),
        Map.of("VQLAB_DATA", "/data"));
    assertEquals(List.of(Path.of("/r")), rooted.searchOrder());
    assertEquals(Path.of("/r"), rooted.downloadTarget());
  }

  @Test
  void aNamedRootIsAuthoritativeEvenWhenTheDataIsElsewhere() throws IOException {
    // The files sit in a system directory, but the user named another root: fail naming it.
    Path system = tmp.resolve("usr-share");
    Files.createDirectories(system);
    for (String f : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
      Files.copy(FashionMnistFiles.require().resolve(f), system.resolve(f));
    }
    Path root = tmp.resolve("does-not-exist");
    IdxDataset d = IdxDataset.builder(IdxDataset.FASHION_MNIST).optSplit(Split.TEST)
        .optLocations(new DataLocations(root, null, List.of(system), tmp.resolve("cache")))
        .optMirror(mirror("/missing/")).build();
    DatasetError e = assertThrows(DatasetError.class, () -> d.prepare(null));
    assertTrue(e.getMessage().contains("Looked in: [" + root + "] (dataset.root names " + root
        + ", so no other location is searched or used)"), e.getMessage());
  }

  @Test
  void aNamedRootReceivesTheDownload() throws IOException {
    Path src = FashionMnistFiles.require();
    for (String f : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
      served.put("/fm/" + f, Files.readAllBytes(src.resolve(f)));
    }
    Path root = tmp.resolve("new-root");
    IdxDataset d = IdxDataset.builder(IdxDataset.FASHION_MNIST).optSplit(Split.TEST)
        .optLocations(new DataLocations(root, null, List.of(), tmp.resolve("cache")))
        .optMirror(mirror("/fm/")).build();
    d.prepare(null);
    assertEquals(root.resolve("t10k-images-idx3-ubyte.gz"), d.imagesFile());
    assertFalse(Files.exists(tmp.resolve("cache")));
  }

  @Test
  void refusedConnectionIsNamedAsTheReason() throws IOException {
    int port;
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    String m = failure("http://127.0.0.1:" + port + "/fm/");
    assertTrue(m.contains("failed (connection to 127.0.0.1:" + port + " refused or unreachable"), m);
    assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
    assertFalse(m.contains("null"), m);
  }

  @Test
  void unknownHostIsNamedAsTheReason() {
    // RFC 2606 reserves .invalid: it never resolves.
    String m = failure("http://fashion-mnist.invalid/fm/");
    assertTrue(m.contains("failed (unknown host fashion-mnist.invalid"), m);
    assertTrue(m.contains("or set dataset.mirror to a reachable copy"), m);
  }

  @Test
  void timeoutsAreNamedAsTheReason() {
    java.net.URI url = java.net.URI.create("http://10.0.0.1:8080/x.gz");
    assertEquals("connecting to 10.0.0.1:8080 timed out after 20 s", Downloader.reason(
        new IOException(new java.net.http.HttpConnectTimeoutException("HTTP connect timed out")), url));
    assertEquals("no answer from 10.0.0.1:8080 in time (HttpTimeoutException: request timed out)",
        Downloader.reason(new java.net.http.HttpTimeoutException("request timed out"), url));
  }

  private String failure(String mirror) {
    IdxDataset d = IdxDataset.builder(IdxDataset.FASHION_MNIST).optSplit(Split.TEST)
        .optLocations(new DataLocations(null, null, List.of(), tmp.resolve("cache")))
        .optMirror(mirror).build();
    return assertThrows(DatasetError.class, () -> d.prepare(null)).getMessage();
  }

  @Test
  void cifarArchiveIsDownloadedVerifiedAndExtracted() throws IOException {
    byte[] tgz = CifarFiles.archive(3, 2);
    served.put("/kriz/cifar-10-binary.tar.gz", tgz);
    Path downloads = tmp.resolve("cifar-cache");
    Cifar10Dataset d = Cifar10Dataset.builder().optSplit(Split.TEST)
        .optLocations(new DataLocations(null, null, List.of(), downloads))
        .optMirror(mirror("/kriz/"))
        .optArchive(new RemoteFile("cifar-10-binary.tar.gz", Sha256.of(tgz))).build();
    d.prepare(null);
    assertEquals(2, d.size());
    assertArrayEquals(CifarFiles.pixels(CifarFiles.TEST_FILE_INDEX, 1), d.rawItem(1));
    assertTrue(Files.isRegularFile(downloads.resolve("cifar-10-batches-bin/data_batch_5.bin")));
    Cifar10Dataset train = Cifar10Dataset.builder()
        .optLocations(new DataLocations(null, null, List.of(), downloads)).build();
    train.prepare(null);
    assertEquals(15, train.size());
  }

  @Test
  void cifarChecksumMismatchNamesTheUrl() throws IOException {
    served.put("/kriz/cifar-10-binary.tar.gz", CifarFiles.archive(1, 1));
    Cifar10Dataset d = Cifar10Dataset.builder()
        .optLocations(new DataLocations(null, null, List.of(), tmp.resolve("c")))
        .optMirror(mirror("/kriz/")).build();
    DatasetError e = assertThrows(DatasetError.class, () -> d.prepare(null));
    assertTrue(e.getMessage().startsWith("checksum mismatch for " + mirror("/kriz/")
        + "cifar-10-binary.tar.gz"), e.getMessage());
    assertTrue(e.getMessage().contains(Cifar10Dataset.ARCHIVE.sha256().get(0)));
  }
}
