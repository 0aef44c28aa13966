package org.flawmap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionJournalTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL_A = "a".repeat(64);
  private static final String MODEL_B = "b".repeat(64);

  @TempDir Path tmp;

  private Path image(String name, String content) throws Exception {
    Path file = tmp.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  private static ObjectNode row(double score) {
    ObjectNode row = JSON.createObjectNode();
    row.put("image_score", score);
    return row;
  }

  @Test
  void reopenedJournalReturnsRows() throws Exception {
    Path a = image("a.png", "aaa");
    Path b = image("b.png", "bbb");
    try (PredictionJournal journal = PredictionJournal.open(tmp, MODEL_A, true)) {
      assertNull(journal.finished(PredictionJournal.Key.of(a)));
      journal.append(PredictionJournal.Key.of(a), row(1.5));
    }
    try (PredictionJournal journal = PredictionJournal.open(tmp, MODEL_A, true)) {
      assertEquals(1, journal.reusableCount());
      ObjectNode found = journal.finished(PredictionJournal.Key.of(a));
      assertNotNull(found);
      assertEquals(1.5, found.get("image_score").asDouble());
      assertNull(journal.finished(PredictionJournal.Key.of(b)));
    }
  }

  @Test
  void otherModelIsNotReused() throws Exception {
    Path a = image("a.png", "aaa");
    try (PredictionJournal journal = PredictionJournal.open(tmp, MODEL_A, true)) {
      journal.append(PredictionJournal.Key.of(a), row(1));
    }
    try (PredictionJournal journal = PredictionJournal.open(tmp, MODEL_B, true)) {
      assertNull(journal.finished(PredictionJournal.Key.of(a)));
      assertEquals(1, journal.droppedCount());
    }
  }

  @Test
  void otherOutputOptionIsNotReused() throws Exception {
    Path a = image("a.png", "aaa");
    try (PredictionJournal journal = PredictionJournal.open(tmp, MODEL_A, false)) {
      journal.append(PredictionJournal.Key.of(a), row(1));
    }
    try (PredictionJournal journal = PredictionJournal.open(tmp, MODEL_A, true)) {
      assertNull(journal.finished(PredictionJournal.Key.of(a)));
    }
  }

  @Test
  void changedImageIsNotReused() throws Exception {
    Path a = image("a.png", "aaa");
    try (PredictionJournal journal = PredictionJournal.open(tmp, MODEL_A, true)) {
      journal.append(PredictionJournal.Key.of(a), row(1));
    }
    Files.writeString(a, "a longer content");
    try (PredictionJournal journal = PredictionJournal.open(tmp, MODEL_A, true)) {
      assertNull(journal.finished(PredictionJournal.Key.of(a)));
    }
  }

  @Test
  void cutLastLineIsIgnored() throws Exception {
    Path a = image("a.png", "aaa");
    Path b = image("b.png", "bbb");
    try (PredictionJournal journal = PredictionJournal.open(tmp, MODEL_A, true)) {
      journal.append(PredictionJournal.Key.of(a), row(1));
    }
    Path file = tmp.resolve(PredictionJournal.FILE_NAME);
    Files.writeString(file, "{\"model_sha256\":\"" + MODEL_A + "\",\"ima",
        StandardOpenOption.APPEND);
    try (PredictionJournal journal = PredictionJournal.open(tmp, MODEL_A, true)) {
      assertEquals(1, journal.droppedCount());
      journal.append(PredictionJournal.Key.of(b), row(2));
    }
    try (PredictionJournal journal = PredictionJournal.open(tmp, MODEL_A, true)) {
      assertEquals(0, journal.droppedCount());
      assertNotNull(journal.finished(PredictionJournal.Key.of(a)));
      assertNotNull(journal.finished(PredictionJournal.Key.of(b)));
    }
    assertEquals(2, Files.readAllLines(file).size());
  }

  @Test
  void sha256MatchesDigestOfBytes() throws Exception {
    byte[] bytes = "model bytes".repeat(10_000).getBytes(StandardCharsets.UTF_8);
    Path file = tmp.resolve("m.flawmap");
    Files.write(file, bytes);
    String expected =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertEquals(expected, PredictionJournal.sha256(file));
  }
}
