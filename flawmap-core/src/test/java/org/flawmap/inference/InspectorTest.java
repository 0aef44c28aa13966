package org.flawmap.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.image.RgbImage;
import org.flawmap.model.AnomalyModel;
import org.flawmap.model.Calibration;
import org.flawmap.model.padim.PadimFitter;
import org.flawmap.model.padim.PadimOptions;
import org.flawmap.testing.LocalStatsExtractor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scoring entry points of {@link Inspector} agree with each other in every mode. */
class InspectorTest {

  static final LocalStatsExtractor EXTRACTOR = new LocalStatsExtractor();
  static final Calibration CALIBRATION = new Calibration(5, 5, "test", 0, 10);
  static AnomalyModel model;

  @BeforeAll
  static void fit() {
    PadimFitter fitter = new PadimFitter(EXTRACTOR.info(), new PadimOptions(8, 0.01, 2.0, 3L));
    Random random = new Random(2);
    for (int i = 0; i < 8; i++) {
      fitter.add(EXTRACTOR.extract(List.of(
          InputGeometry.of(InputMode.RESIZE, EXTRACTOR.info()).toInput(image(random)))).get(0));
    }
    model = fitter.fit();
  }

  @Test
  void extractorCallMatchesFeatureCall() {
    RgbImage image = image(new Random(3));
    for (InputSettings settings : List.of(InputSettings.RESIZE,
        InputSettings.of(InputMode.KEEP_ASPECT), InputSettings.tile(1.0, 16))) {
      Inspector inspector = new Inspector(model, CALIBRATION, settings);
      List<FeatureMap[]> features =
          EXTRACTOR.extract(InputGeometry.of(settings, EXTRACTOR.info()).toInputs(image));

      Inspection fromExtractor = inspector.inspect(image, EXTRACTOR);
      Inspection fromFeatures = inspector.inspect(image, features);

      assertEquals(fromFeatures.imageScore(), fromExtractor.imageScore(), settings.label());
      assertArrayEquals(fromFeatures.anomalyMap().values(), fromExtractor.anomalyMap().values(),
          settings.label());
      assertEquals(100, fromExtractor.anomalyMap().width(), settings.label());
      assertEquals(70, fromExtractor.anomalyMap().height(), settings.label());
    }
  }

  @Test
  void singleFeatureCallMatchesList() {
    RgbImage image = image(new Random(4));
    Inspector inspector = new Inspector(model, CALIBRATION, InputMode.KEEP_ASPECT);
    FeatureMap[] features = EXTRACTOR.extract(List.of(
        InputGeometry.of(InputMode.KEEP_ASPECT, EXTRACTOR.info()).toInput(image))).get(0);

    assertArrayEquals(inspector.inspect(image, List.<FeatureMap[]>of(features)).anomalyMap()
        .values(), inspector.inspect(image, features).anomalyMap().values());
  }

  @Test
  void singleFeatureCallRejectsTileMode() {
    Inspector inspector = new Inspector(model, CALIBRATION, InputSettings.tile(1.0, 16));
    RgbImage image = image(new Random(5));
    FeatureMap[] features = EXTRACTOR.extract(List.of(new float[3 * 64 * 64])).get(0);

    var e = assertThrows(IllegalStateException.class, () -> inspector.inspect(image, features));
    assertTrue(e.getMessage().contains("inspect(image, extractor)"), e.getMessage());
  }

  @Test
  void batchInspectionEqualsEachImageAlone() {
    Random random = new Random(6);
    List<RgbImage> images = List.of(image(random), image(random), image(random));
    for (InputSettings settings : List.of(InputSettings.RESIZE,
        InputSettings.of(InputMode.KEEP_ASPECT), InputSettings.tile(1.0, 16))) {
      Inspector inspector = new Inspector(model, CALIBRATION, settings);
      InputGeometry geometry = InputGeometry.of(settings, EXTRACTOR.info());
      List<List<FeatureMap[]>> features =
          images.stream().map(im -> EXTRACTOR.extract(geometry.toInputs(im))).toList();

      List<Inspection> batch = inspector.inspectBatch(images, features);

      assertEquals(images.size(), batch.size(), settings.label());
      for (int i = 0; i < images.size(); i++) {
        Inspection alone = inspector.inspect(images.get(i), features.get(i));
        assertEquals(alone.imageScore(), batch.get(i).imageScore(), 0.0, settings.label());
        assertArrayEquals(alone.anomalyMap().values(), batch.get(i).anomalyMap().values(),
            settings.label() + ", image " + i);
      }
    }
  }

  @Test
  void batchInspectionRejectsMismatchedCounts() {
    Inspector inspector = new Inspector(model, CALIBRATION);
    RgbImage image = image(new Random(7));

    var e = assertThrows(IllegalArgumentException.class,
        () -> inspector.inspectBatch(List.of(image, image), List.of(List.of())));
    assertTrue(e.getMessage().contains("2 images but features of 1"), e.getMessage());
  }

  /** Returns a 100 × 70 gray noise image, which makes 2 × 2 tiles of 64 with an overlap of 16. */
  private static RgbImage image(Random random) {
    byte[] rgb = new byte[3 * 100 * 70];
    for (int p = 0; p < 100 * 70; p++) {
      byte v = (byte) (110 + random.nextInt(33));
      rgb[3 * p] = v;
      rgb[3 * p + 1] = v;
      rgb[3 * p + 2] = v;
    }
    return new RgbImage(100, 70, rgb);
  }
}
