package org.flawmap.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder that a failed job leaves: removed when it has no file, kept otherwise. */
class FailedOutputTest {

  @TempDir Path tmp;

  @Test
  void foldersOnlyAreRemoved() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out.parquet/_temporary/0"));

    ScoreImagesJob.removeEmptyOutput(tmp.resolve("out.parquet"));

    assertFalse(Files.exists(tmp.resolve("out.parquet")), out.toString());
  }

  @Test
  void folderWithFileIsKept() throws Exception {
    Path part = tmp.resolve("out.parquet/_temporary/0/part-00000.parquet");
    Files.createDirectories(part.getParent());
    Files.writeString(part, "rows");

    ScoreImagesJob.removeEmptyOutput(tmp.resolve("out.parquet"));

    assertTrue(Files.exists(part));
  }

  @Test
  void missingFolderIsIgnored() {
    ScoreImagesJob.removeEmptyOutput(tmp.resolve("never-written.parquet"));

    assertFalse(Files.exists(tmp.resolve("never-written.parquet")));
  }
}
