package org.flawmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InterruptNoticeTest {

  @Test
  void messageCountsEarlierAndNewImages() {
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (InterruptNotice notice = new InterruptNotice(10, 3, err)) {
      notice.finished();
      notice.finished();

      assertEquals(
          "flawmap: interrupted after 5 of 10 images; run the same command again to resume",
          notice.message());
    }
  }

  @Test
  void hookIsRemovedWhenRunEnds() {
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    InterruptNotice notice = new InterruptNotice(1, 0, err);
    assertTrue(notice.registered());

    notice.close();

    assertFalse(notice.registered());
  }
}
