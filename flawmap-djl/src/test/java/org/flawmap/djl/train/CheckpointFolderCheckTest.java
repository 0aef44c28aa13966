package org.flawmap.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.djl.cflow.CflowOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFolderCheckTest {

  private static CommonOptions common(Path checkpoint) {
    return new CommonOptions(1, 1, 1e-3, 0, 0, checkpoint, 4.0);
  }

  @Test
  void regularFileIsRejected(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("state.txt"), "x");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> common(file));

    assertEquals("checkpoint " + file + " is a file, not a folder; name a folder", e.getMessage());
  }

  @Test
  void fileAsParentIsRejected(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("state.txt"), "x");
    Path below = file.resolve("ckpt");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> common(below));

    assertTrue(e.getMessage().startsWith("cannot create checkpoint folder " + below + " ("),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("; name a writable folder"), e.getMessage());
  }

  @Test
  void procFolderIsRejected() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> common(Path.of("/proc/nope")));

    assertTrue(e.getMessage().startsWith("cannot create checkpoint folder /proc/nope"),
        e.getMessage());
  }

  @Test
  void missingFolderPassesAndIsNotCreated(@TempDir Path tmp) {
    Path folder = tmp.resolve("a/b");

    assertEquals(folder, common(folder).checkpoint());
    assertFalse(Files.exists(tmp.resolve("a")));
    try (var listing = Files.list(tmp)) {
      assertEquals(0, listing.count(), "the probe folder was left behind");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void cflowRejectsFileCheckpoint(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("state.txt"), "x");
    CflowOptions d = CflowOptions.DEFAULTS;

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new CflowOptions(List.of(0), d.couplingBlocks(), d.hiddenWidth(),
                d.conditionDim(), d.clamp(), d.fiberBatch(), d.epochs(), d.batchSize(),
                d.learningRate(), d.patience(), d.timeLimitSeconds(), file, d.blurSigma(),
                d.seed()));

    assertTrue(e.getMessage().contains("is a file, not a folder"), e.getMessage());
  }
}
