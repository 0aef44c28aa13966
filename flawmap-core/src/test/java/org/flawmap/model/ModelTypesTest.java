package org.flawmap.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.flawmap.model.padim.PadimOptions;
import org.flawmap.model.padim.PadimType;
import org.junit.jupiter.api.Test;

class ModelTypesTest {

  @Test
  void builtInTypesAreRegistered() {
    assertEquals("padim", ModelTypes.byName("padim").name());
    assertEquals("patchcore", ModelTypes.byName("patchcore").name());
    assertEquals("padim", ModelTypes.byName("padim").codec().type());
  }

  @Test
  void unknownTypeListsKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelTypes.byName("padin"));

    assertTrue(e.getMessage().contains("'padin'"));
    assertTrue(e.getMessage().contains("padim, patchcore"));
  }

  @Test
  void textValuesParseAsNumbersListsOrText() {
    ModelParameters p =
        ModelParameters.fromText(
            Map.of("epochs", "3", "rate", "1e-3", "stages", "[1,2]", "checkpoint", "runs/ck",
                "flag", "true", "pair", "0,2"));

    assertEquals(3, p.integer("epochs", 0));
    assertEquals(1e-3, p.number("rate", 0), 0.0);
    assertEquals(List.of(1, 2), p.integers("stages", List.of()));
    assertEquals(List.of(0, 2), p.integers("pair", List.of()));
    assertEquals("runs/ck", p.text("checkpoint", null));
    assertTrue(p.bool("flag", false));
    assertEquals(7, p.integer("missing", 7));
  }

  @Test
  void wrongValueTypeNamesTheOption() {
    ModelParameters p = ModelParameters.fromText(Map.of("epochs", "2.5", "dimension", "many"));

    IllegalArgumentException epochs =
        assertThrows(IllegalArgumentException.class, () -> p.integer("epochs", 1));
    IllegalArgumentException dimension =
        assertThrows(IllegalArgumentException.class, () -> PadimType.options(p, 1L));

    assertTrue(epochs.getMessage().contains("epochs"));
    assertTrue(dimension.getMessage().contains("dimension"));
  }

  @Test
  void padimOptionsTakeDefaultsForMissingKeys() {
    PadimOptions options = PadimType.options(ModelParameters.fromText(Map.of("epsilon", "0.5")), 9);

    assertEquals(PadimOptions.DEFAULTS.featureDimension(), options.featureDimension());
    assertEquals(0.5, options.epsilon(), 0.0);
    assertEquals(9L, options.seed());
  }
}
