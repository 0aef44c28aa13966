package org.flawmap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundWriterTest {

  @Test
  void finishRunsEveryTask() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    try (BackgroundWriter writer = new BackgroundWriter(2, 3)) {
      for (int i = 0; i < 20; i++) {
        writer.submit("task " + i, ran::incrementAndGet);
      }
      writer.finish();
      assertEquals(20, ran.get());
      assertEquals(20, writer.completed());
    }
  }

  @Test
  void submitBlocksAtCapacity() throws Exception {
    // The tasks wait until a releaser finds the writer full. Without back-pressure all 30
    // submissions would return at once and more than the capacity would be in flight.
    CountDownLatch release = new CountDownLatch(1);
    try (BackgroundWriter writer = new BackgroundWriter(1, 4)) {
      Thread releaser = new Thread(() -> {
        while (writer.maxInFlight() < 4) {
          Thread.onSpinWait();
        }
        release.countDown();
      });
      releaser.start();
      for (int i = 0; i < 30; i++) {
        writer.submit("task " + i, release::await);
      }
      writer.finish();
      releaser.join();
      assertEquals(4, writer.maxInFlight());
      assertEquals(30, writer.completed());
    }
  }

  @Test
  void failureNamesTaskAndStopsRun() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    try (BackgroundWriter writer = new BackgroundWriter(1, 1)) {
      writer.submit("out/a.map.png", () -> {
        throw new IOException("No space left on device");
      });
      IOException e = assertThrows(IOException.class, writer::finish);
      assertTrue(e.getMessage().contains("out/a.map.png"), e.getMessage());
      assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());

      IOException next =
          assertThrows(IOException.class, () -> writer.submit("b", ran::incrementAndGet));
      assertTrue(next.getMessage().contains("out/a.map.png"), next.getMessage());
    }
    assertEquals(0, ran.get());
  }

  @Test
  void runtimeErrorIsReported() throws Exception {
    try (BackgroundWriter writer = new BackgroundWriter(1, 2)) {
      writer.submit("image x", () -> {
        throw new IllegalStateException("broken encoder");
      });
      IOException e = assertThrows(IOException.class, writer::finish);
      assertTrue(e.getMessage().contains("image x: broken encoder"), e.getMessage());
    }
  }

  @Test
  void closeRunsQueuedTasks() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    BackgroundWriter writer = new BackgroundWriter(1, 8);
    for (int i = 0; i < 8; i++) {
      writer.submit("task " + i, ran::incrementAndGet);
    }
    writer.close();
    assertEquals(8, ran.get());
  }

  @Test
  void invalidSizesRejected() {
    assertThrows(IllegalArgumentException.class, () -> new BackgroundWriter(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new BackgroundWriter(4, 2));
  }
}
