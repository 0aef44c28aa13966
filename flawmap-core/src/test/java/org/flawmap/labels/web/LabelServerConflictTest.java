package org.flawmap.labels.web;

import static org.flawmap.labels.web.LabelServerTestSupport.postJson;
import static org.flawmap.labels.web.LabelServerTestSupport.saveBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.dataset.Dataset;
import org.flawmap.labels.Background;
import org.flawmap.labels.DefectCategory;
import org.flawmap.labels.LabelFile;
import org.flawmap.labels.LabelRow;
import org.flawmap.labels.web.LabelServerTestSupport.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two pages, played by two HTTP clients that each keep the versions they saw, on one file. */
class LabelServerConflictTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FIRST = "test/bright_blob/000.png";
  private static final String SECOND = "test/scratch/001.png";
  private static final LabelRow FOREIGN =
      new LabelRow("test/other/kept.png", "tiny", Background.WITH, DefectCategory.SURFACE, "k");

  @TempDir Path dir;
  private LabelServer server;
  private Path labelFile;

  @BeforeEach
  void startServer() throws Exception {
    Dataset dataset = LabelServerTestSupport.tinyDataset(dir);
    labelFile = dir.resolve("labels.csv");
    LabelFile.write(labelFile, List.of(FOREIGN));
    server = LabelServerTestSupport.start(dataset, labelFile);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void stateListsAnomalousImages() throws Exception {
    JsonNode state = JSON.readTree(LabelServerTestSupport.get(server, "api/state").body());

    assertEquals("tiny", state.get("product").asText());
    assertEquals(9, state.get("items").size());
    JsonNode first = state.get("items").get(0);
    assertEquals(FIRST, first.get("path").asText());
    assertTrue(first.get("row").isNull());
    assertEquals("/files/ground_truth/bright_blob/000_mask.png", first.get("mask").asText());
    assertTrue(first.get("reference").asText().startsWith("/files/train/good/"));
    assertTrue(first.get("suggested").has("category"));
  }

  @Test
  void savesOfDifferentRowsMerge() throws Exception {
    Reply pageA = postJson(server, saveBody(FIRST, "structural", "without", "a", 0, 0));
    Reply pageB = postJson(server, saveBody(SECOND, "surface", "with", "b", 0, 0));

    assertEquals(200, pageA.status(), pageA.body());
    assertEquals(200, pageB.status(), pageB.body());
    assertFalse(JSON.readTree(pageA.body()).get("merged").asBoolean());
    assertTrue(JSON.readTree(pageB.body()).get("merged").asBoolean());
    List<LabelRow> rows = LabelFile.read(labelFile);
    assertEquals(3, rows.size());
    assertEquals(FOREIGN, rows.get(0));
    assertEquals(new LabelRow(FIRST, "tiny", Background.WITHOUT, DefectCategory.STRUCTURAL, "a"),
        rows.get(1));
    assertEquals(new LabelRow(SECOND, "tiny", Background.WITH, DefectCategory.SURFACE, "b"),
        rows.get(2));
  }

  @Test
  void saveOfChangedRowGets409() throws Exception {
    Reply pageA = postJson(server, saveBody(FIRST, "structural", "without", "a", 0, 0));
    Reply pageB = postJson(server, saveBody(FIRST, "combined", "with", "b", 0, 0));

    assertEquals(200, pageA.status(), pageA.body());
    assertEquals(409, pageB.status(), pageB.body());
    JsonNode conflict = JSON.readTree(pageB.body());
    assertFalse(conflict.get("saved").asBoolean());
    assertEquals("structural", conflict.get("item").get("row").get("category").asText());
    assertEquals(1, conflict.get("item").get("revision").asLong());
    assertTrue(conflict.get("message").asText().contains(FIRST));
    List<LabelRow> rows = LabelFile.read(labelFile);
    assertEquals(2, rows.size());
    assertEquals("a", rows.get(1).note());
  }

  @Test
  void retryWithCurrentRevisionSucceeds() throws Exception {
    postJson(server, saveBody(FIRST, "structural", "without", "a", 0, 0));
    Reply conflict = postJson(server, saveBody(FIRST, "combined", "with", "b", 0, 0));
    long revision = JSON.readTree(conflict.body()).get("item").get("revision").asLong();
    long version = JSON.readTree(conflict.body()).get("version").asLong();

    Reply retry = postJson(server, saveBody(FIRST, "combined", "with", "b", revision, version));

    assertEquals(200, retry.status(), retry.body());
    assertEquals(2, JSON.readTree(retry.body()).get("item").get("revision").asLong());
    assertEquals(DefectCategory.COMBINED, LabelFile.read(labelFile).get(1).category());
  }

  @Test
  void editOnDiskCountsAsChange() throws Exception {
    postJson(server, saveBody(FIRST, "structural", "without", "a", 0, 0));
    LabelRow edited =
        new LabelRow(FIRST, "tiny", Background.WITHOUT, DefectCategory.SURFACE, "by hand");
    LabelFile.write(labelFile, List.of(FOREIGN, edited));

    Reply stale = postJson(server, saveBody(FIRST, "combined", "with", "b", 1, 1));
    Reply other = postJson(server, saveBody(SECOND, "surface", "with", "c", 0, 1));

    assertEquals(409, stale.status(), stale.body());
    assertEquals("by hand",
        JSON.readTree(stale.body()).get("item").get("row").get("note").asText());
    assertEquals(200, other.status(), other.body());
    List<LabelRow> rows = LabelFile.read(labelFile);
    assertEquals(List.of(FOREIGN, edited,
        new LabelRow(SECOND, "tiny", Background.WITH, DefectCategory.SURFACE, "c")), rows);
    assertTrue(Files.readString(labelFile).startsWith("path,product,background,category,note\n"));
  }
}
