package org.flawmap.backbone.onnx.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportNsfwjsTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ImportNsfwjs.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsUsage() {
    assertEquals(0, run("--help"));
    assertTrue(stdout().contains("--package-dir DIR"), stdout());
  }

  @Test
  void missingOutputIsUsageError() {
    assertEquals(2, run("--package-dir", "x"));
    assertTrue(stderr().contains("Give --output"), stderr());
  }

  @Test
  void unknownOptionIsUsageError() {
    assertEquals(2, run("--colour", "red"));
    assertTrue(stderr().contains("Unknown option --colour"), stderr());
  }

  @Test
  void bothSourcesAreUsageError() {
    assertEquals(2, run("--package-dir", "a", "--model-dir", "b", "--output", "c"));
  }

  @Test
  void missingModelFailsWithMessage(@TempDir Path dir) {
    assertEquals(1, run("--model-dir", dir.toString(), "--output", dir.resolve("out").toString()));
    assertTrue(stderr().contains("Import failed: no model.json or model.min.js found in " + dir),
        stderr());
  }

  @Test
  void importsPackageAndReportsFiles(@TempDir Path dir) {
    Path packageDir = Path.of(System.getProperty("flawmap.home", "."))
        .resolve("build/npm/nsfwjs/package");
    Assumptions.assumeTrue(Files.isDirectory(packageDir),
        "nsfwjs package not found at " + packageDir);

    assertEquals(0, run("--package-dir", packageDir.toString(), "--output", dir.toString()));

    assertTrue(stdout().contains("Wrote " + dir.resolve("model.onnx")), stdout());
    assertTrue(stdout().contains("stage block_12_add: 96 channels, stride 16"), stdout());
    assertTrue(stdout().contains("Checked: ONNX Runtime loads mobilenet_v2_nsfwjs"), stdout());
    assertTrue(Files.isRegularFile(dir.resolve("backbone.json")));
  }
}
