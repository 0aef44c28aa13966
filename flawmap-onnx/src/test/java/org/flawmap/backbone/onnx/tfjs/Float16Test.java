package org.flawmap.backbone.onnx.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Float16Test {

  @Test
  void closedFormValues() {
    assertEquals(0f, Float16.toFloat(0x0000));
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Float16.toFloat(0x8000)));
    assertEquals(1f, Float16.toFloat(0x3C00));
    assertEquals(-2f, Float16.toFloat(0xC000));
    assertEquals(65504f, Float16.toFloat(0x7BFF), "largest finite value");
    assertEquals(0x1p-14f, Float16.toFloat(0x0400), "smallest normal value");
    assertEquals(0x1p-24f, Float16.toFloat(0x0001), "smallest subnormal value");
    assertEquals(1023 * 0x1p-24f, Float16.toFloat(0x03FF), "largest subnormal value");
    assertEquals(0.25f * (1 + 341f / 1024), Float16.toFloat(0x3555), "nearest to 1/3");
    assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat(0x7C00));
    assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat(0xFC00));
    assertTrue(Float.isNaN(Float16.toFloat(0x7E00)));
  }

  @Test
  void signExtendedShortDecodesLikeUnsigned() {
    short negativeTwo = (short) 0xC000;
    assertEquals(-2f, Float16.toFloat(negativeTwo));
  }

  @Test
  void everyBitPatternMatchesDefinition() {
    for (int bits = 0; bits <= 0xFFFF; bits++) {
      double expected = TfGraphReference.halfToDouble(bits);
      float actual = Float16.toFloat(bits);
      if (Double.isNaN(expected)) {
        assertTrue(Float.isNaN(actual), "bits 0x" + Integer.toHexString(bits));
      } else {
        assertEquals(expected, actual, 0.0, "bits 0x" + Integer.toHexString(bits));
      }
    }
  }
}
