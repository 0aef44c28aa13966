package org.flawmap.djl.fcdd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import org.flawmap.model.ModelParameters;
import org.flawmap.model.ModelTypes;
import org.junit.jupiter.api.Test;

class FcddTypeTest {

  @Test
  void typeIsRegistered() {
    assertTrue(ModelTypes.all().get("fcdd") instanceof FcddType);
  }

  @Test
  void defaultsAreTaken() {
    FcddOptions options = FcddType.options(ModelParameters.empty(), 7L);

    assertEquals(FcddOptions.DEFAULTS.epochs(), options.epochs());
    assertEquals(FcddOptions.DEFAULTS.hiddenChannels(), options.hiddenChannels());
    assertEquals(7L, options.seed());
  }

  @Test
  void optionsAreRead() {
    FcddOptions options =
        FcddType.options(
            ModelParameters.fromText(
                Map.of("epochs", "3", "hidden_channels", "8", "checkpoint", "runs/ckpt")),
            1L);

    assertEquals(3, options.epochs());
    assertEquals(8, options.hiddenChannels());
    assertEquals("runs/ckpt", options.checkpoint().toString());
  }

  @Test
  void invalidOptionsNameTheOption() {
    Map<String, JsonNode> cases =
        Map.ofEntries(
            Map.entry("epochs", IntNode.valueOf(0)),
            Map.entry("batch_size", IntNode.valueOf(-1)),
            Map.entry("learning_rate", DoubleNode.valueOf(0)),
            Map.entry("patience", IntNode.valueOf(-2)),
            Map.entry("time_limit", DoubleNode.valueOf(-5)),
            Map.entry("blur_sigma", DoubleNode.valueOf(0)),
            Map.entry("hidden_channels", IntNode.valueOf(0)),
            Map.entry("grid_stride", IntNode.valueOf(0)),
            Map.entry("anomaly_fraction", DoubleNode.valueOf(1.5)),
            Map.entry("patch_min_size", IntNode.valueOf(0)),
            Map.entry("patch_max_size", IntNode.valueOf(4)),
            Map.entry("unknown_size", IntNode.valueOf(4)));
    FcddType type = new FcddType();
    for (Map.Entry<String, JsonNode> c : cases.entrySet()) {
      ModelParameters p = new ModelParameters(Map.of(c.getKey(), c.getValue()));

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> type.validate(p), c.getKey());

      assertTrue(
          e.getMessage().contains(c.getKey()), c.getKey() + " not named in: " + e.getMessage());
    }
  }

  @Test
  void textForNumberIsRejected() {
    ModelParameters p = new ModelParameters(Map.of("epochs", TextNode.valueOf("many")));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new FcddType().validate(p));

    assertTrue(e.getMessage().contains("epochs"), e.getMessage());
  }

  @Test
  void nonDividingGridStrideIsRejected() {
    FcddOptions options =
        FcddType.options(new ModelParameters(Map.of("grid_stride", IntNode.valueOf(7))), 1L);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FcddFitter(SyntheticFeatures.BACKBONE, options));

    assertTrue(e.getMessage().contains("grid_stride"), e.getMessage());
  }
}
