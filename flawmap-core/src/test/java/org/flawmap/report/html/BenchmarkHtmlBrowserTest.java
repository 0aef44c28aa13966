package org.flawmap.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report in headless Chromium and reads back what its check script counted: images
 * that failed to decode, SVG plots, in-page links without a target. Skips without Chromium.
 */
class BenchmarkHtmlBrowserTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path folder;

  @BeforeEach
  void requireChromium() throws IOException {
    Assumptions.assumeTrue(HeadlessChromium.isAvailable(), HeadlessChromium.EXECUTABLE
        + " not found, so the report is not checked in a browser; install it with"
        + " 'apt-get update && apt-get install -y chromium'");
    SyntheticBenchmark.create(folder);
  }

  private JsonNode check(Path report) throws IOException, InterruptedException {
    String dom = HeadlessChromium.dumpDom(report);
    return JSON.readTree(HeadlessChromium.checkResult(dom));
  }

  @Test
  void browserLoadsEveryImageAndLink() throws IOException, InterruptedException {
    JsonNode check = check(BenchmarkHtml.write(folder));
    assertEquals(SyntheticBenchmark.EXPECTED_IMAGES, check.get("images").asInt(), check.toString());
    assertEquals(0, check.get("broken").asInt(), check.toString());
    assertEquals(SyntheticBenchmark.EXPECTED_PLOTS, check.get("svgs").asInt(), check.toString());
    assertTrue(check.get("anchors").asInt() > 30, check.toString());
    assertEquals(0, check.get("missingAnchors").asInt(), check.toString());
    assertEquals(0, check.get("duplicateIds").asInt(), check.toString());
    assertEquals(0, check.get("missingFiles").asInt(), check.toString());
  }

  @Test
  void browserDetectsCorruptImage() throws IOException, InterruptedException {
    // A PNG cut after its signature passes the embedder's check but cannot be decoded.
    Path png = folder.resolve("gallery/tile-padim-42/0.map.png");
    Files.write(png, Arrays.copyOf(Files.readAllBytes(png), 30));
    JsonNode check = check(BenchmarkHtml.write(folder));
    assertEquals(SyntheticBenchmark.EXPECTED_IMAGES, check.get("images").asInt(), check.toString());
    assertEquals(1, check.get("broken").asInt(), check.toString());
  }

  @Test
  void browserDetectsMissingAnchor() throws IOException, InterruptedException {
    Path report = BenchmarkHtml.write(folder);
    String html = Files.readString(report);
    Files.writeString(report, html.replace("href=\"#provenance\"", "href=\"#no-such-section\""));
    JsonNode check = check(report);
    assertEquals(1, check.get("missingAnchors").asInt(), check.toString());
  }

  @Test
  void screenshotHasRequestedSize() throws IOException, InterruptedException {
    Path png = folder.resolve("report.png");
    HeadlessChromium.screenshot(BenchmarkHtml.write(folder), png, 800, 600);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(800, image.getWidth());
    assertEquals(600, image.getHeight());
  }
}
