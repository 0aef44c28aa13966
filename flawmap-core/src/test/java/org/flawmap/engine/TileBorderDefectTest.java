package org.flawmap.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.flawmap.anomalymap.AnomalyMap;
import org.flawmap.image.RgbImage;
import org.flawmap.inference.DefectRegions;
import org.flawmap.inference.InputGeometry;
import org.flawmap.inference.InputSettings;
import org.flawmap.inference.Inspection;
import org.flawmap.inference.Inspector;
import org.flawmap.inference.TileLayout;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.Calibration;
import org.flawmap.model.padim.PadimFitter;
import org.flawmap.model.padim.PadimOptions;
import org.flawmap.testing.LocalStatsExtractor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PaDiM in tile mode on 150 × 100 noise images with the 64 × 64 stand-in backbone and an overlap
 * of 16. Tile columns start at 0, 48 and 86 and tile rows at 0 and 36, so tiles 0 and 1 share
 * columns 48 to 63.
 */
class TileBorderDefectTest {

  static final LocalStatsExtractor EXTRACTOR = new LocalStatsExtractor();
  static final InputSettings TILES = InputSettings.tile(1.0, 16);
  static final int WIDTH = 150;
  static final int HEIGHT = 100;
  static AnomalyModel model;
  static double normalMax;

  @BeforeAll
  static void fitOnNoise() {
    InputGeometry geometry = InputGeometry.of(TILES, EXTRACTOR.info());
    PadimFitter fitter = new PadimFitter(EXTRACTOR.info(), new PadimOptions(10, 0.01, 2.0, 5L));
    Random random = new Random(11);
    for (int i = 0; i < 16; i++) {
      for (var features : EXTRACTOR.extract(geometry.toInputs(noise(random, WIDTH, HEIGHT)))) {
        fitter.add(features);
      }
    }
    model = fitter.fit();

    Inspector inspector = inspector(Double.MAX_VALUE);
    normalMax = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < 4; i++) {
      AnomalyMap map = inspector.inspect(noise(random, WIDTH, HEIGHT), EXTRACTOR).anomalyMap();
      normalMax = Math.max(normalMax, map.max());
    }
  }

  @Test
  void defectOnTileSeamFoundOnce() {
    TileLayout layout = InputGeometry.of(TILES, EXTRACTOR.info()).tiles(WIDTH, HEIGHT);
    assertEquals(48, layout.x(1));
    // The square covers columns 50 to 61, inside the overlap of tiles 0 and 1, rows 8 to 19.
    RgbImage image = noise(new Random(5), WIDTH, HEIGHT);
    paint(image, 50, 8, 12, 12);
    AnomalyMap map = inspector(Double.MAX_VALUE).inspect(image, EXTRACTOR).anomalyMap();
    assertTrue(map.max() > 2 * normalMax,
        "defect peak %s, normal maximum %s".formatted(map.max(), normalMax));

    double threshold = (normalMax + map.max()) / 2;
    Inspection inspection = inspector(threshold).inspect(image, EXTRACTOR);
    List<DefectRegions.Region> regions = DefectRegions.of(inspection);

    assertEquals(WIDTH, inspection.anomalyMap().width());
    assertEquals(HEIGHT, inspection.anomalyMap().height());
    assertEquals(1, regions.size(), "regions " + regions);
    DefectRegions.Region region = regions.get(0);
    double[] centroid = centroid(inspection);
    // The square's centre is (55.5, 13.5); one 4-pixel cell of the backbone is the tolerance.
    assertEquals(55.5, centroid[0], 4, "centroid x");
    assertEquals(13.5, centroid[1], 4, "centroid y");
    assertEquals(55.5, region.peakX(), 6, "peak x");
    assertEquals(13.5, region.peakY(), 6, "peak y");
    assertTrue(region.x() <= 50, "box " + region);
    assertTrue(region.x() + region.width() >= 62, "box " + region);
  }

  @Test
  void defectAtFourTileCornerFoundOnce() {
    // Columns 52 to 59 and rows 40 to 55 lie in tiles 0, 1, 3 and 4.
    RgbImage image = noise(new Random(6), WIDTH, HEIGHT);
    paint(image, 52, 40, 8, 16);
    AnomalyMap map = inspector(Double.MAX_VALUE).inspect(image, EXTRACTOR).anomalyMap();
    Inspection inspection =
        inspector((normalMax + map.max()) / 2).inspect(image, EXTRACTOR);

    List<DefectRegions.Region> regions = DefectRegions.of(inspection);
    assertEquals(1, regions.size(), "regions " + regions);
    double[] centroid = centroid(inspection);
    assertEquals(55.5, centroid[0], 4, "centroid x");
    assertEquals(47.5, centroid[1], 4, "centroid y");
  }

  @Test
  void smallImageMapAtImageSize() {
    RgbImage image = noise(new Random(7), 40, 30);
    Inspection inspection = inspector(Double.MAX_VALUE).inspect(image, EXTRACTOR);

    assertEquals(40, inspection.anomalyMap().width());
    assertEquals(30, inspection.anomalyMap().height());
    assertTrue(Double.isFinite(inspection.imageScore()));
  }

  @Test
  void imageScoreIsMaximumOverTiles() {
    RgbImage image = noise(new Random(8), WIDTH, HEIGHT);
    paint(image, 120, 70, 10, 10);
    InputGeometry geometry = InputGeometry.of(TILES, EXTRACTOR.info());
    double expected = Double.NEGATIVE_INFINITY;
    for (var features : EXTRACTOR.extract(geometry.toInputs(image))) {
      expected = Math.max(expected, model.score(features).imageScore());
    }

    assertEquals(expected, inspector(0).inspect(image, EXTRACTOR).imageScore(), 1e-9);
  }

  private static Inspector inspector(double pixelThreshold) {
    Calibration calibration = new Calibration(pixelThreshold, 0, "test", 0, 1);
    return new Inspector(model, calibration, TILES);
  }

  /** Returns the centroid (x, y) of the predicted mask. */
  private static double[] centroid(Inspection inspection) {
    boolean[] mask = inspection.predMask();
    int width = inspection.anomalyMap().width();
    double sx = 0;
    double sy = 0;
    int n = 0;
    for (int p = 0; p < mask.length; p++) {
      if (mask[p]) {
        sx += p % width;
        sy += p / width;
        n++;
      }
    }
    return new double[] {sx / n, sy / n};
  }

  private static void paint(RgbImage image, int x0, int y0, int width, int height) {
    for (int y = y0; y < y0 + height; y++) {
      for (int x = x0; x < x0 + width; x++) {
        for (int c = 0; c < 3; c++) {
          image.rgb()[3 * (y * image.width() + x) + c] = (byte) 250;
        }
      }
    }
  }

  /** Returns a gray image with independent noise of ±8 around 128. */
  static RgbImage noise(Random random, int width, int height) {
    byte[] rgb = new byte[3 * width * height];
    for (int p = 0; p < width * height; p++) {
      byte v = (byte) (120 + random.nextInt(17));
      rgb[3 * p] = v;
      rgb[3 * p + 1] = v;
      rgb[3 * p + 2] = v;
    }
    return new RgbImage(width, height, rgb);
  }
}
