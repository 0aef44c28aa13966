package org.flawmap.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.flawmap.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SampleLoaderTest {

  @TempDir Path dir;

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger loaderLogger = (Logger) LoggerFactory.getLogger(SampleLoader.class);

  @BeforeEach
  void captureLogs() {
    logs.start();
    loaderLogger.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    loaderLogger.detachAppender(logs);
  }

  private Path root() {
    return dir.resolve("mixed");
  }

  private static int[] ramp(int width, int height, int scale) {
    int[] values = new int[width * height];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i * 13) % 256 * scale;
    }
    return values;
  }

  private static BufferedImage palette(int width, int height) {
    byte[] levels = new byte[256];
    for (int i = 0; i < 256; i++) {
      levels[i] = (byte) (255 - i);
    }
    IndexColorModel model = new IndexColorModel(8, 256, levels, levels, levels);
    return new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, model);
  }

  /**
   * Writes an MVTec tree whose images use a different variant and size each: gray, RGB, RGBA,
   * palette and 16-bit PNG, BMP and JPEG. Masks have anti-aliased edges.
   */
  private Dataset writeMixedTree() throws IOException {
    TestImages.write(TestImages.gray(10, 7, ramp(10, 7, 1)), root().resolve("train/good/g.png"));
    TestImages.write(TestImages.rgb(12, 9, ramp(12, 9, 65793)), root().resolve("train/good/c.bmp"));
    BufferedImage rgba = new BufferedImage(9, 11, BufferedImage.TYPE_INT_ARGB);
    TestImages.write(rgba, root().resolve("train/good/a.png"));
    TestImages.write(palette(13, 5), root().resolve("test/good/p.png"));
    TestImages.write(TestImages.gray16(6, 14, ramp(6, 14, 257)),
        root().resolve("test/good/s.png"));
    TestImages.writeConstantGray(root().resolve("test/dent/j.jpg"), 16, 8, 90);
    TestImages.write(TestImages.gray16(11, 4, ramp(11, 4, 200)),
        root().resolve("test/dent/k.png"));
    writeSoftMask(root().resolve("ground_truth/dent/j_mask.png"), 16, 8);
    writeSoftMask(root().resolve("ground_truth/dent/k_mask.png"), 11, 4);
    return new MvtecReader().read(root());
  }

  /** Row 0 is 0, row 1 is 1..127 (anti-aliased), row 2 is 128, rows below are 255. */
  private static void writeSoftMask(Path file, int width, int height) {
    int[] values = new int[width * height];
    for (int x = 0; x < width; x++) {
      values[width + x] = 1 + (x * 126) / (width - 1);
      values[2 * width + x] = 128;
    }
    Arrays.fill(values, 3 * width, values.length, 255);
    TestImages.write(TestImages.gray(width, height, values), file);
  }

  private static Sample byId(Dataset dataset, String id) {
    return java.util.stream.Stream.of(dataset.train(), dataset.test())
        .flatMap(List::stream)
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void loadsEveryVariantAtItsOwnSize() throws IOException {
    Dataset dataset = writeMixedTree();
    SampleLoader loader = new SampleLoader(dataset, OnBadFile.FAIL);
    int[][] expected = {{9, 11}, {12, 9}, {10, 7}, {16, 8}, {11, 4}, {13, 5}, {6, 14}};
    List<Sample> all = new java.util.ArrayList<>(dataset.train());
    all.addAll(dataset.test());
    assertEquals(expected.length, all.size());
    for (int i = 0; i < all.size(); i++) {
      LoadedSample loaded = loader.load(all.get(i)).orElseThrow();
      assertEquals(expected[i][0], loaded.image().width(), all.get(i).id());
      assertEquals(expected[i][1], loaded.image().height(), all.get(i).id());
      assertEquals(all.get(i).anomalous(), loaded.mask() != null, all.get(i).id());
    }

    // The 16-bit ramp v * 257 keeps its top byte, v.
    byte[] sixteenBit = loader.load(byId(dataset, "test/good/s.png")).orElseThrow().image().rgb();
    int[] values = ramp(6, 14, 1);
    for (int i = 0; i < values.length; i++) {
      assertEquals(values[i], sixteenBit[3 * i] & 0xFF, "pixel " + i);
    }
  }

  @Test
  void softMaskEdgesBinarisedAt128() throws IOException {
    Dataset dataset = writeMixedTree();
    LoadedSample loaded = new SampleLoader(dataset, OnBadFile.FAIL)
        .load(byId(dataset, "test/dent/j.jpg")).orElseThrow();
    Mask mask = loaded.mask();
    for (int x = 0; x < 16; x++) {
      assertFalse(mask.pixels()[x], "row 0 (value 0)");
      assertFalse(mask.pixels()[16 + x], "row 1 (values 1..127)");
      assertTrue(mask.pixels()[32 + x], "row 2 (value 128)");
    }
    assertEquals(16 * 6, mask.countDefective());
    assertFalse(loaded.maskEmpty());

    LoadedSample nonzero = new SampleLoader(MaskReader.NONZERO_THRESHOLD, OnBadFile.FAIL)
        .load(byId(dataset, "test/dent/j.jpg")).orElseThrow();
    assertEquals(16 * 7, nonzero.mask().countDefective());
  }

  @Test
  void emptyMaskKeptFlaggedAndWarnedOnce() throws IOException {
    Dataset dataset = writeMixedTree();
    TestImages.writeConstantGray(root().resolve("ground_truth/dent/j_mask.png"), 16, 8, 0);
    SampleLoader loader = new SampleLoader(dataset, OnBadFile.FAIL);
    Sample sample = byId(dataset, "test/dent/j.jpg");

    LoadedSample loaded = loader.load(sample).orElseThrow();
    loader.load(sample);

    assertTrue(loaded.maskEmpty());
    assertTrue(loaded.sample().anomalous());
    List<ILoggingEvent> warnings = logs.list.stream()
        .filter(e -> e.getLevel() == Level.WARN).toList();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).getFormattedMessage().contains("j.jpg"));
    assertTrue(warnings.get(0).getFormattedMessage().contains("all-zero mask"));
  }

  @Test
  void faintMaskWarningSuggestsThreshold() throws IOException {
    Dataset dataset = writeMixedTree();
    TestImages.writeConstantGray(root().resolve("ground_truth/dent/j_mask.png"), 16, 8, 1);
    LoadedSample loaded = new SampleLoader(dataset, OnBadFile.FAIL)
        .load(byId(dataset, "test/dent/j.jpg")).orElseThrow();
    assertTrue(loaded.maskEmpty());
    String warning = logs.list.get(0).getFormattedMessage();
    assertTrue(warning.contains("128 pixels are nonzero but below the mask threshold 128"),
        warning);
    assertTrue(warning.contains("use mask threshold 1"), warning);
  }

  @Test
  void normalSampleHasNoMask() throws IOException {
    Dataset dataset = writeMixedTree();
    LoadedSample loaded = new SampleLoader(dataset, OnBadFile.FAIL)
        .load(byId(dataset, "test/good/p.png")).orElseThrow();
    assertNull(loaded.mask());
    assertFalse(loaded.maskEmpty());
    assertTrue(loaded.maskOrEmpty().isEmpty());
    assertEquals(13, loaded.maskOrEmpty().width());
  }

  private void truncate(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
  }

  @Test
  void truncatedImageFailsNamingFile() throws IOException {
    Dataset dataset = writeMixedTree();
    truncate(root().resolve("test/dent/j.jpg"));
    SampleLoader loader = new SampleLoader(dataset, OnBadFile.FAIL);
    DatasetException e = assertThrows(DatasetException.class,
        () -> loader.load(byId(dataset, "test/dent/j.jpg")));
    assertTrue(e.getMessage().contains(root().resolve("test/dent/j.jpg").toString()),
        e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void truncatedFilesSkippedAndCounted() throws IOException {
    Dataset dataset = writeMixedTree();
    truncate(root().resolve("test/dent/j.jpg"));
    truncate(root().resolve("ground_truth/dent/k_mask.png"));
    SampleLoader loader = new SampleLoader(dataset, OnBadFile.SKIP);

    int loaded = 0;
    for (Sample sample : dataset.test()) {
      Optional<LoadedSample> result = loader.load(sample);
      if (result.isPresent()) {
        loaded++;
      }
    }

    assertEquals(2, loaded);
    SkippedFiles skipped = loader.skipped();
    assertEquals(2, skipped.count());
    assertEquals("test/dent/j.jpg", skipped.entries().get(0).sampleId());
    assertEquals(root().resolve("test/dent/j.jpg"), skipped.entries().get(0).file());
    assertTrue(skipped.entries().get(0).reason().contains("truncated"));
    assertEquals(root().resolve("ground_truth/dent/k_mask.png"), skipped.entries().get(1).file());
    assertTrue(skipped.entries().get(1).reason().contains("the mask of"));
    long warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    assertEquals(2, warnings);
  }

  @Test
  void maskSizeMismatchNamesBothFiles() throws IOException {
    Dataset dataset = writeMixedTree();
    Path mask = root().resolve("ground_truth/dent/j_mask.png");
    TestImages.writeRectMask(mask, 15, 8, 0, 0, 3, 3);
    SampleLoader loader = new SampleLoader(dataset, OnBadFile.FAIL);
    DatasetException e = assertThrows(DatasetException.class,
        () -> loader.load(byId(dataset, "test/dent/j.jpg")));
    String message = e.getMessage();
    assertTrue(message.contains(mask.toString()), message);
    assertTrue(message.contains(root().resolve("test/dent/j.jpg").toString()), message);
    assertTrue(message.contains("15×8"), message);
    assertTrue(message.contains("16×8"), message);

    SampleLoader skipping = new SampleLoader(dataset, OnBadFile.SKIP);
    assertTrue(skipping.load(byId(dataset, "test/dent/j.jpg")).isEmpty());
    assertEquals(mask, skipping.skipped().entries().get(0).file());
  }

  @Test
  void validateImagesReportsSkipsAndEmptyMasks() throws IOException {
    Dataset dataset = writeMixedTree();
    truncate(root().resolve("train/good/c.bmp"));
    TestImages.writeConstantGray(root().resolve("ground_truth/dent/k_mask.png"), 11, 4, 0);
    DatasetValidator.Report report = DatasetValidator.validateImages(dataset, OnBadFile.SKIP);
    assertEquals(7, report.checked());
    assertEquals(1, report.skipped().count());
    assertEquals(List.of("test/dent/k.png"), report.emptyMaskIds());
    assertThrows(DatasetException.class,
        () -> DatasetValidator.validateImages(dataset, OnBadFile.FAIL));
  }
}
