package org.flawmap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionTableTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void rowsKeepOrderAndQuoting() throws Exception {
    ObjectNode first = JSON.createObjectNode();
    first.put("image", "in/a,b.png");
    first.put("image_score", 2.5);
    first.put("label", "anomalous");
    first.put("map", "a.map.png");
    ObjectNode second = JSON.createObjectNode();
    second.put("image", "in/say \"hi\".png");
    second.put("label", "normal");

    PredictionTable.write(tmp, List.of(first, second));

    List<String> csv = Files.readAllLines(tmp.resolve("predictions.csv"));
    assertEquals(3, csv.size());
    assertEquals(String.join(",", PredictionTable.COLUMNS), csv.get(0));
    assertEquals("\"in/a,b.png\",2.5,,anomalous,,,,,,a.map.png,,", csv.get(1));
    assertEquals("\"in/say \"\"hi\"\".png\",,,normal,,,,,,,,", csv.get(2));
    List<String> jsonl = Files.readAllLines(tmp.resolve("predictions.jsonl"));
    assertEquals(2, jsonl.size());
    assertEquals(first, JSON.readTree(jsonl.get(0)));
    assertEquals(second, JSON.readTree(jsonl.get(1)));
  }
}
