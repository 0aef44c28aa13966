package org.flawmap.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flawmap.backbone.onnx.tfjs.NsfwjsMobileNetImporter;

/**
 * The default backbone for tests: the installed one when ./setup.sh has run, otherwise one
 * converted from the fetched npm package into build/, otherwise the test is skipped.
 */
final class TestBackbone {

  private TestBackbone() {}

  static Path home() {
    return Path.of(System.getProperty("flawmap.home", "../")).toAbsolutePath().normalize();
  }

  static synchronized Path folder() throws IOException {
    Path installed = home().resolve("backbones").resolve(Backbones.DEFAULT);
    if (Files.isRegularFile(installed.resolve("backbone.json"))) {
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

  static Path magneticTile() {
    Path data = home().resolve("../shared/data/magnetic_tile").normalize();
    assumeTrue(
        Files.isDirectory(data.resolve("train/good")),
        "skipped: real data not found at " + data + " (a fresh clone has no ../shared)");
    return data;
  }
}
