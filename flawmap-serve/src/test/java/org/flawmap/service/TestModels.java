package org.flawmap.service;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flawmap.backbone.onnx.BackboneDescriptor;
import org.flawmap.backbone.onnx.OnnxFeatureExtractor;
import org.flawmap.backbone.onnx.tfjs.NsfwjsMobileNetImporter;
import org.flawmap.engine.DatasetSession;
import org.flawmap.engine.FitJob;
import org.flawmap.engine.RunOptions;
import org.flawmap.model.io.ModelFile;
import org.flawmap.model.padim.PadimOptions;
import org.flawmap.testing.TinyDatasets;
import org.flawmap.threshold.ThresholdEstimators;

/**
 * A PaDiM model file fitted once per test JVM on a tiny synthetic dataset with the real default
 * backbone: the installed one when ./setup.sh has run, otherwise one converted from the fetched
 * npm package, otherwise the test is skipped.
 */
final class TestModels {

  /** Everything a service test needs: the dataset and the model file fitted on it. */
  record Fixture(Path dataset, Path model, Path backbone) {}

  private static Fixture fixture;

  private TestModels() {}

  static Path home() {
    return Path.of(System.getProperty("flawmap.home", "..")).toAbsolutePath().normalize();
  }

  static synchronized Fixture fixture() throws Exception {
    if (fixture == null) {
      Path folder = Files.createTempDirectory("flawmap-serve-test");
      folder.toFile().deleteOnExit();
      Path backbone = backbone();
      Path dataset =
          TinyDatasets.writeMvtec(
              folder, TinyDatasets.Options.defaults().withCounts(10, 3, 2).withSize(96, 96));
      Path model = folder.resolve("model.flawmap");
      fit(dataset, backbone, model);
      fixture = new Fixture(dataset, model, backbone);
    }
    return fixture;
  }

  private static void fit(Path dataset, Path backbone, Path model) throws Exception {
    DatasetSession session = DatasetSession.open(dataset, RunOptions.DEFAULTS);
    try (OnnxFeatureExtractor extractor = OnnxFeatureExtractor.open(backbone, 2)) {
      byte[] descriptor = Files.readAllBytes(backbone.resolve(BackboneDescriptor.FILE_NAME));
      byte[] onnx = Files.readAllBytes(backbone.resolve(extractor.descriptor().onnx()));
      FitJob.Result result =
          FitJob.fitPadim(
              session, extractor, onnx, descriptor, new PadimOptions(40, 0.01, 4.0, 42L),
              ThresholdEstimators.byName(ThresholdEstimators.DEFAULT), "test");
      ModelFile.write(model, result.bundle());
    }
  }

  private static Path backbone() throws IOException {
    Path installed = home().resolve("backbones/mobilenet_v2_nsfwjs");
    if (Files.isRegularFile(installed.resolve(BackboneDescriptor.FILE_NAME))) {
      return installed;
    }
    Path npmPackage = home().resolve("build/npm/nsfwjs/package");
    assumeTrue(
        Files.isDirectory(npmPackage),
        "skipped: the nsfwjs npm package is not at " + npmPackage
            + "; run scripts/fetch-backbone.sh (./test.sh does)");
    Path converted = home().resolve("build/test-backbone");
    NsfwjsMobileNetImporter.importPackage(npmPackage, converted);
    return converted;
  }
}
