package org.flawmap.backbone.onnx.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsLiteralParserTest {

  private static JsonNode parse(String text) {
    return JsLiteralParser.parse(text, 0, "test.js").value();
  }

  @Test
  void minifiedObjectBecomesJson() {
    JsonNode node = parse("{name:\"Conv1\",trainable:!1,center:!0,momentum:.999,min:-.5,"
        + "zero:-0,big:1e3,small:2.5E-4,seed:null,none:void 0,'quoted key':'it\\'s',"
        + "list:[1,[2,3],{}],$odd_1:\"a\\u0041\\n\"}");

    assertEquals("Conv1", node.get("name").asText());
    assertFalse(node.get("trainable").asBoolean());
    assertTrue(node.get("center").asBoolean());
    assertEquals(0.999, node.get("momentum").asDouble());
    assertEquals(-0.5, node.get("min").asDouble());
    assertEquals(0.0, node.get("zero").asDouble());
    assertEquals(1000.0, node.get("big").asDouble());
    assertEquals(2.5e-4, node.get("small").asDouble());
    assertTrue(node.get("seed").isNull());
    assertTrue(node.get("none").isNull());
    assertEquals("it's", node.get("quoted key").asText());
    assertEquals(3, node.get("list").get(1).get(1).asInt());
    assertEquals("aA\n", node.get("$odd_1").asText());
  }

  @Test
  void integersStayIntegral() {
    JsonNode node = parse("[3, -7, 4294967296, 1.0]");

    assertTrue(node.get(0).isInt());
    assertEquals(-7, node.get(1).asInt());
    assertTrue(node.get(2).isLong());
    assertTrue(node.get(3).isDouble());
  }

  @Test
  void trailingCommasAreAccepted() {
    JsonNode node = parse("{a:[1,2,],b:2,}");

    assertEquals(2, node.get("a").size());
    assertEquals(2, node.get("b").asInt());
  }

  @Test
  void endOffsetPointsAfterValue() {
    JsLiteralParser.Result result = JsLiteralParser.parse("x={a:1}},{}]", 2, "test.js");

    assertEquals(7, result.end());
  }

  @Test
  void codeIsRejectedWithOffset() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> parse("{a:require(\"x\")}"));

    assertTrue(error.getMessage().startsWith("test.js: invalid JavaScript literal at offset 3"),
        error.getMessage());
    assertTrue(error.getMessage().contains("'require'"), error.getMessage());
  }

  @Test
  void unterminatedInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> parse("{a:[1,2"));
    assertThrows(IllegalArgumentException.class, () -> parse("\"abc"));
    assertThrows(IllegalArgumentException.class, () -> parse("{a 1}"));
  }
}
