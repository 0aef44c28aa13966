package org.flawmap.backbone.onnx.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TfPaddingTest {

  @Test
  void sameStrideTwoPadsOddPixelAfter() {
    // out = ceil(224 / 2) = 112; total = 111 * 2 + 3 - 224 = 1, all of it at the bottom.
    assertEquals(new TfPadding(0, 1, 112), TfPadding.of("SAME", 224, 3, 2, 1));
    // 5 × 5 kernel: total = 111 * 2 + 5 - 224 = 3, so 1 before and 2 after.
    assertEquals(new TfPadding(1, 2, 112), TfPadding.of("SAME", 224, 5, 2, 1));
  }

  @Test
  void sameStrideTwoOddSizeIsSymmetric() {
    // out = ceil(225 / 2) = 113; total = 112 * 2 + 3 - 225 = 2.
    assertEquals(new TfPadding(1, 1, 113), TfPadding.of("SAME", 225, 3, 2, 1));
  }

  @Test
  void sameStrideOneKeepsSize() {
    assertEquals(new TfPadding(1, 1, 7), TfPadding.of("SAME", 7, 3, 1, 1));
    assertEquals(new TfPadding(2, 2, 7), TfPadding.of("SAME", 7, 5, 1, 1));
    assertEquals(new TfPadding(0, 0, 7), TfPadding.of("SAME", 7, 1, 1, 1));
  }

  @Test
  void sameWithDilationUsesSpan() {
    // span = (3 - 1) * 2 + 1 = 5; total = 4 * 1 + 5 - 5 = 4.
    assertEquals(new TfPadding(2, 2, 5), TfPadding.of("SAME", 5, 3, 1, 2));
  }

  @Test
  void sameNeverPadsNegative() {
    // out = ceil(4 / 3) = 2; (2 - 1) * 3 + 1 - 4 = 0.
    assertEquals(new TfPadding(0, 0, 2), TfPadding.of("SAME", 4, 1, 3, 1));
    // A 1 × 1 stride-2 window on an odd input: (3 - 1) * 2 + 1 - 5 = 0.
    assertEquals(new TfPadding(0, 0, 3), TfPadding.of("SAME", 5, 1, 2, 1));
  }

  @Test
  void validDropsTheRemainder() {
    // floor((224 - 3) / 2) + 1 = 111.
    assertEquals(new TfPadding(0, 0, 111), TfPadding.of("VALID", 224, 3, 2, 1));
    assertEquals(new TfPadding(0, 0, 1), TfPadding.of("VALID", 3, 3, 1, 1));
  }

  @Test
  void explicitPadsAddToTheInput() {
    // floor((10 + 1 + 2 - 3) / 2) + 1 = 6.
    assertEquals(new TfPadding(1, 2, 6), TfPadding.explicit(10, 3, 2, 1, 1, 2));
  }

  @Test
  void invalidWindowsAreRejected() {
    IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
        () -> TfPadding.of("VALID", 2, 3, 1, 1));
    assertTrue(tooLarge.getMessage().contains("does not fit an input of 2"),
        tooLarge.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> TfPadding.of("REFLECT", 8, 3, 1, 1));
    assertTrue(unknown.getMessage().contains("'REFLECT'"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TfPadding.of("SAME", 8, 3, 0, 1));
  }
}
