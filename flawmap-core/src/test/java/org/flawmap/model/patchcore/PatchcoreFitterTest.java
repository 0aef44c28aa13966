package org.flawmap.model.patchcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.flawmap.backbone.BackboneInfo;
import org.flawmap.backbone.FeatureMap;
import org.flawmap.backbone.StageInfo;
import org.junit.jupiter.api.Test;

/** Bank size rules, the candidate sample and option checks of the PatchCore fitter. */
class PatchcoreFitterTest {

  /** One stage of 2 channels at stride 8 on 32 × 32 pixels: 16 patches per image. */
  static final BackboneInfo BACKBONE =
      new BackboneInfo(
          "fake", "none", 32, 32, new float[3], new float[] {1, 1, 1},
          List.of(new StageInfo("only", 2, 8)));

  static PatchcoreOptions options(double ratio, int maxBank, int maxCandidates) {
    return new PatchcoreOptions(List.of(0), 1024, ratio, maxBank, maxCandidates, 64, 9, 4.0, 3L);
  }

  /**
   * Image {@code i} has constant channels: channel 0 is {@code i}, channel 1 is {@code 1}.
   * After the zero-padded 3 × 3 mean an interior patch keeps the value {@code i}, and every
   * patch's ratio of channel 0 to channel 1 is {@code i}, which identifies its image.
   */
  static FeatureMap[] image(int i) {
    float[] data = new float[2 * 16];
    for (int p = 0; p < 16; p++) {
      data[p] = i;
      data[16 + p] = 1;
    }
    return new FeatureMap[] {new FeatureMap(2, 4, 4, 8, data)};
  }

  static PatchcoreModel fit(PatchcoreOptions options, int images) {
    PatchcoreFitter fitter = new PatchcoreFitter(BACKBONE, options);
    for (int i = 0; i < images; i++) {
      fitter.add(image(i));
    }
    assertEquals(images, fitter.count());
    assertEquals(16L * images, fitter.patchesSeen());
    return fitter.fit();
  }

  @Test
  void bankFollowsTheRatio() {
    PatchcoreModel model = fit(options(0.1, 20_000, 200_000), 50);
    assertEquals(80, model.bankSize());
    assertEquals(800, model.trainingPatches());
    assertEquals(80 * 2, model.bank().length);
  }

  @Test
  void bankRespectsItsCap() {
    PatchcoreModel model = fit(options(0.5, 30, 200_000), 50);
    assertEquals(30, model.bankSize());
  }

  @Test
  void bankRespectsTheCandidateSample() {
    PatchcoreModel model = fit(options(1.0, 20_000, 100), 50);
    assertEquals(100, model.bankSize());
    assertEquals(800, model.trainingPatches());
  }

  @Test
  void sizeRuleTakesTheSmallestLimit() {
    assertEquals(1, PatchcoreFitter.bankSize(options(0.01, 10, 100), 20, 20));
    assertEquals(100, PatchcoreFitter.bankSize(options(0.1, 10_000, 1000), 1000, 1000));
    assertEquals(7, PatchcoreFitter.bankSize(options(0.1, 7, 1000), 1000, 1000));
    assertEquals(50, PatchcoreFitter.bankSize(options(0.1, 10_000, 50), 1000, 50));
    // 0.1 × 597,408 patches of 762 magnetic tile images, with 20,000 as the cap.
    assertEquals(20_000, PatchcoreFitter.bankSize(options(0.1, 20_000, 200_000), 597_408,
        200_000));
  }

  @Test
  void candidateSampleReachesLateImages() {
    // 100 of 800 patches: a uniform sample takes most of them from images after the 7th,
    // whose patches would all be dropped by keeping the first 100.
    PatchcoreModel model = fit(options(1.0, 20_000, 100), 50);
    float[] bank = model.bank();
    Set<Integer> sources = new HashSet<>();
    int late = 0;
    for (int m = 0; m < model.bankSize(); m++) {
      int source = Math.round(bank[2 * m] / bank[2 * m + 1]);
      sources.add(source);
      late += source >= 7 ? 1 : 0;
    }
    assertTrue(late > 60, late + " of 100 candidates from images 7 to 49");
    assertTrue(sources.size() > 30, "candidates from " + sources.size() + " images");
  }

  @Test
  void bankHoldsTrainingPatches() {
    PatchcoreModel model = fit(options(0.2, 20_000, 200_000), 10);
    float[] bank = model.bank();
    for (int m = 0; m < model.bankSize(); m++) {
      float ratio = bank[2 * m] / bank[2 * m + 1];
      assertEquals(Math.round(ratio), ratio, 1e-4, "bank patch " + m);
    }
  }

  @Test
  void sameSeedGivesTheSameBank() {
    PatchcoreModel first = fit(options(0.1, 20_000, 300), 40);
    PatchcoreModel second = fit(options(0.1, 20_000, 300), 40);
    org.junit.jupiter.api.Assertions.assertArrayEquals(first.bank(), second.bank());
  }

  @Test
  void fitWithoutImagesIsRejected() {
    PatchcoreFitter fitter = new PatchcoreFitter(BACKBONE, options(0.1, 10, 10));
    assertThrows(IllegalStateException.class, fitter::fit);
  }

  @Test
  void invalidOptionsNameTheOptionAndValue() {
    assertMessage(() -> options(0, 10, 10), "--patchcore-coreset-ratio", "0.0");
    assertMessage(() -> options(1.5, 10, 10), "--patchcore-coreset-ratio", "1.5");
    assertMessage(() -> options(Double.NaN, 10, 10), "--patchcore-coreset-ratio", "NaN");
    assertMessage(() -> options(0.1, 0, 10), "--patchcore-max-bank", "found 0");
    assertMessage(() -> options(0.1, 10, -1), "--patchcore-max-candidates", "found -1");
    PatchcoreOptions base = options(0.1, 10, 10);
    assertMessage(() -> base.withStages(List.of(2, 1)), "--patchcore-stages", "[2, 1]");
    assertMessage(() -> base.withStages(List.of(1, 1)), "--patchcore-stages", "[1, 1]");
    assertMessage(() -> base.withStages(List.of()), "--patchcore-stages", "at least one");
    assertMessage(
        () -> new PatchcoreOptions(List.of(0), 1024, 0.1, 10, 10, 64, 1, 4.0, 3L),
        "--patchcore-neighbours", "found 1");
    assertMessage(
        () -> new PatchcoreOptions(List.of(0), 0, 0.1, 10, 10, 64, 9, 4.0, 3L),
        "--patchcore-dimension", "found 0");
    assertMessage(
        () -> new PatchcoreOptions(List.of(0), 1024, 0.1, 10, 10, 0, 9, 4.0, 3L),
        "--patchcore-projection", "found 0");
    assertMessage(
        () -> new PatchcoreOptions(List.of(0), 1024, 0.1, 10, 10, 64, 9, 0, 3L),
        "--blur-sigma", "found 0.0");
  }

  private static void assertMessage(Runnable build, String option, String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
    assertTrue(e.getMessage().contains(option), e.getMessage());
    assertTrue(e.getMessage().contains(value), e.getMessage());
  }
}
