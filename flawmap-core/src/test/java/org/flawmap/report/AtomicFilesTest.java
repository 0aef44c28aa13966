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

  @Test
  void leftoversRemovedBelowFolder() throws IOException {
    Path crack = Files.createDirectories(tmp.resolve("crack"));
    Files.writeString(tmp.resolve(".a.map.png.5e8d5ddd363a21dc.tmp"), "partial");
    Files.writeString(crack.resolve(".b.mask.png.7.tmp"), "partial");
    Path finishedMask = Files.writeString(crack.resolve("b.mask.png"), "done");
    Path notOurs = Files.writeString(tmp.resolve(".notes.tmp"), "a user's file");
    Path upperHex = Files.writeString(tmp.resolve(".c.png.ABC.tmp"), "not our pattern");

    assertEquals(2, AtomicFiles.removeLeftovers(tmp));

    assertEquals(1, filesIn(crack), "only b.mask.png stays in crack/");
    assertEquals("done", Files.readString(finishedMask));
    assertEquals(true, Files.exists(notOurs), ".notes.tmp has no hex part");
    assertEquals(true, Files.exists(upperHex), "temporary names use lower-case hex");
  }

  @Test
  void leftoversOfMissingFolderAreNone() throws IOException {
    assertEquals(0, AtomicFiles.removeLeftovers(tmp.resolve("absent")));
  }
}
