package org.flawmap.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flawmap.dataset.Dataset;
import org.flawmap.dataset.LoadedSample;
import org.flawmap.dataset.MvtecReader;
import org.flawmap.dataset.OnBadFile;
import org.flawmap.dataset.Sample;
import org.flawmap.dataset.SampleLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyDatasetsTest {

  /** Normal values stay within this many levels of the base colour (waves 36 + noise 8). */
  private static final int NORMAL_RANGE = 44;

  private static final int[] BASE = {150, 128, 104};

  @TempDir Path dir;

  private static boolean outsideNormalRange(byte[] rgb, int pixel) {
    for (int c = 0; c < 3; c++) {
      if (Math.abs((rgb[3 * pixel + c] & 0xFF) - BASE[c]) > NORMAL_RANGE) {
        return true;
      }
    }
    return false;
  }

  @Test
  void defaultDatasetReadsAndDefectsStandOut() throws IOException {
    Path root = TinyDatasets.writeMvtec(dir);
    Dataset dataset = new MvtecReader().read(root);
    assertEquals("tiny", dataset.product());
    assertEquals(10, dataset.train().size());
    assertEquals(4 + 3 * 3, dataset.test().size());

    SampleLoader loader = new SampleLoader(dataset, OnBadFile.FAIL);
    for (Sample sample : dataset.train()) {
      byte[] rgb = loader.load(sample).orElseThrow().image().rgb();
      for (int p = 0; p < 64 * 64; p++) {
        assertFalse(outsideNormalRange(rgb, p), sample.id() + " pixel " + p);
      }
    }
    for (Sample sample : dataset.test()) {
      if (!sample.anomalous()) {
        continue;
      }
      LoadedSample loaded = loader.load(sample).orElseThrow();
      boolean[] mask = loaded.mask().pixels();
      int defective = loaded.mask().countDefective();
      assertTrue(defective >= 12, sample.id() + " has " + defective + " defect pixels");
      assertTrue(defective < 64 * 64 / 8, sample.id() + " has " + defective + " defect pixels");
      for (int p = 0; p < mask.length; p++) {
        assertEquals(mask[p], outsideNormalRange(loaded.image().rgb(), p),
            sample.id() + " pixel " + p);
      }
    }
  }

  @Test
  void sameSeedSameBytes() throws IOException {
    Path first = TinyDatasets.writeMvtec(dir.resolve("a"));
    Path second = TinyDatasets.writeMvtec(dir.resolve("b"));
    Path other = TinyDatasets.writeMvtec(dir.resolve("c"),
        TinyDatasets.Options.defaults().withSeed(8));
    for (String file : List.of("train/good/003.png", "test/scratch/001.png",
        "ground_truth/dark_blob/002_mask.png")) {
      assertArrayEquals(Files.readAllBytes(first.resolve(file)),
          Files.readAllBytes(second.resolve(file)), file);
      assertFalse(java.util.Arrays.equals(Files.readAllBytes(first.resolve(file)),
          Files.readAllBytes(other.resolve(file))), file);
    }
  }

  @Test
  void optionsSetSizeCountsAndTypes() throws IOException {
    TinyDatasets.Options options = TinyDatasets.Options.defaults()
        .withProduct("big")
        .withSize(96, 80)
        .withCounts(3, 2, 1)
        .withDefectTypes(List.of(TinyDatasets.SCRATCH));
    Dataset dataset = new MvtecReader().read(TinyDatasets.writeMvtec(dir, options));
    assertEquals("big", dataset.product());
    assertEquals(3, dataset.train().size());
    assertEquals(3, dataset.test().size());
    LoadedSample scratch = new SampleLoader(dataset, OnBadFile.FAIL)
        .load(dataset.test().get(2)).orElseThrow();
    assertEquals(TinyDatasets.SCRATCH, scratch.sample().defectType());
    assertEquals(96, scratch.image().width());
    assertEquals(80, scratch.image().height());
  }
}
