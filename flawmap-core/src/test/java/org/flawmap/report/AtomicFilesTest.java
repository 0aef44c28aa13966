package org.flawmap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path tmp;

  private long filesIn(Path folder) throws IOException {
    try (Stream<Path> list = Files.list(folder)) {
      return list.count();
    }
  }

  @Test
  void writeReplacesTargetAndLeavesNoTemporaryFile() throws IOException {
    Path target = tmp.resolve("out/report.txt");
    AtomicFiles.writeString(target, "first");
    AtomicFiles.writeString(target, "second");
    assertEquals("second", Files.readString(target));
    assertEquals(1, filesIn(target.getParent()));
  }

  @Test
  void failedWriteKeepsOldContent() throws IOException {
    Path target = tmp.resolve("keep.txt");
    AtomicFiles.writeString(target, "old");
    assertThrows(
        IOException.class,
        () ->
            AtomicFiles.write(
                target,
                out -> {
                  out.write("partial".getBytes());
                  throw new IOException("disk full");
                }));
    assertEquals("old", Files.readString(target));
    assertEquals(1, filesIn(tmp));
  }
}
