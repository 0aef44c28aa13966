package org.flawmap.labels.web;

import static org.flawmap.labels.web.LabelServerTestSupport.authority;
import static org.flawmap.labels.web.LabelServerTestSupport.origin;
import static org.flawmap.labels.web.LabelServerTestSupport.post;
import static org.flawmap.labels.web.LabelServerTestSupport.rawGet;
import static org.flawmap.labels.web.LabelServerTestSupport.saveBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.dataset.Dataset;
import org.flawmap.labels.web.LabelServerTestSupport.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelServerSecurityTest {

  private static final String SECRET = "secret outside the dataset";

  @TempDir Path dir;
  private LabelServer server;
  private Path labelFile;
  private Dataset dataset;

  @BeforeEach
  void startServer() throws IOException {
    dataset = LabelServerTestSupport.tinyDataset(dir);
    Files.writeString(dir.resolve("data/secret.png"), SECRET);
    Files.writeString(dir.resolve("secret.png"), SECRET);
    labelFile = dir.resolve("labels.csv");
    server = LabelServerTestSupport.start(dataset, labelFile);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void imageInsideDatasetIsServed() throws Exception {
    Reply reply = rawGet(server, "/files/train/good/000.png", authority(server));

    assertEquals(200, reply.status());
    assertTrue(reply.body().startsWith("\u0089PNG"), "body should be the PNG file");
  }

  @Test
  void traversalPathsAreRejected() throws Exception {
    List<String> paths = List.of(
        "/files/../secret.png",
        "/files/../../secret.png",
        "/files/%2e%2e/secret.png",
        "/files/%2E%2E/%2e%2e/secret.png",
        "/files/train/%2e%2e/%2e%2e/secret.png",
        "/files/train/good/..%2f..%2f..%2fsecret.png",
        "/files/%2fetc%2fpasswd",
        "/files//etc/passwd",
        "/files/train\\..\\..\\secret.png",
        "/files/./train/good/000.png");
    for (String path : paths) {
      Reply reply = rawGet(server, path, authority(server));

      // The JDK's server itself returns 400 for a request line that is not a valid URI, such as
      // one with a backslash.
      int status = reply.status();
      assertTrue(status == 400 || status == 403 || status == 404,
          path + " should get 400, 403 or 404, got " + status);
      assertFalse(reply.body().contains(SECRET), path + " must not return the secret file");
    }
  }

  @Test
  void symlinkOutOfDatasetIsRejected() throws Exception {
    Path link = dataset.root().resolve("train/good/link.png");
    try {
      Files.createSymbolicLink(link, dir.resolve("secret.png"));
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "symbolic links are not supported here: " + e.getMessage());
    }

    Reply reply = rawGet(server, "/files/train/good/link.png", authority(server));

    assertEquals(403, reply.status());
    assertFalse(reply.body().contains(SECRET));
  }

  @Test
  void nonImageFileIsNotServed() throws Exception {
    Files.writeString(dataset.root().resolve("notes.txt"), "text");

    assertEquals(404, rawGet(server, "/files/notes.txt", authority(server)).status());
  }

  @Test
  void foreignHostHeaderIsRejected() throws Exception {
    Reply reply = rawGet(server, "/api/state", "attacker.example:" + server.url().getPort());

    assertEquals(403, reply.status());
  }

  @Test
  void nonJsonPostGets415() throws Exception {
    String body = saveBody("test/scratch/000.png", "surface", "with", "", 0, 0);

    Reply reply = post(server, "text/plain", origin(server), body);

    assertEquals(415, reply.status());
    assertFalse(Files.exists(labelFile), "a rejected save must not write the file");
  }

  @Test
  void crossOriginPostGets403() throws Exception {
    String body = saveBody("test/scratch/000.png", "surface", "with", "", 0, 0);

    Reply foreign = post(server, "application/json", "http://attacker.example", body);
    Reply missing = post(server, "application/json", null, body);

    assertEquals(403, foreign.status());
    assertEquals(403, missing.status());
    assertFalse(Files.exists(labelFile), "a rejected save must not write the file");
  }

  @Test
  void oversizedBodyGets413() throws Exception {
    String note = "x".repeat(LabelServer.MAX_BODY_BYTES);
    String body = saveBody("test/scratch/000.png", "surface", "with", note, 0, 0);

    Reply reply = post(server, "application/json", origin(server), body);

    assertEquals(413, reply.status());
    assertFalse(Files.exists(labelFile));
  }

  @Test
  void invalidSavesGet400Or404() throws Exception {
    Reply category = LabelServerTestSupport.postJson(server,
        saveBody("test/scratch/000.png", "scratchy", "with", "", 0, 0));
    Reply normal = LabelServerTestSupport.postJson(server,
        saveBody("test/good/000.png", "surface", "with", "", 0, 0));
    Reply notJson = LabelServerTestSupport.postJson(server, "{path:");

    assertEquals(400, category.status());
    assertTrue(category.body().contains("structural, surface"), category.body());
    assertEquals(404, normal.status());
    assertEquals(400, notJson.status());
    assertFalse(Files.exists(labelFile));
  }
}
