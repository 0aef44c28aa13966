package org.flawmap.labels.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flawmap.dataset.Dataset;
import org.flawmap.labels.LabelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code e2e/label-page.test.mjs}, which drives the page in headless Chromium through
 * playwright-core, against a server on a tiny synthetic dataset. Skips when node, the installed
 * e2e packages or Chromium are missing.
 */
class LabelPageBrowserTest {

  private static final Path HOME = Path.of(System.getProperty("flawmap.home", "."));
  private static final Path E2E = HOME.resolve("e2e");
  private static final Path CHROMIUM =
      Path.of(System.getProperty("flawmap.chromium", "/usr/bin/chromium"));

  @TempDir Path dir;

  @Test
  void pageKeepsLabelsAfterReload() throws Exception {
    String node = findOnPath("node");
    assumeTrue(node != null, "node is not on the PATH; install Node.js to run the page test");
    assumeTrue(Files.isDirectory(E2E.resolve("node_modules/playwright-core")),
        "e2e/node_modules is missing; run (cd e2e && npm ci --no-audit --no-fund)");
    assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing; run"
        + " 'apt-get update && apt-get install -y chromium' or set -Dflawmap.chromium=PATH");

    Dataset dataset = LabelServerTestSupport.tinyDataset(dir);
    Path labelFile = dir.resolve("labels.csv");
    Path log = dir.resolve("node.log");
    int exit;
    try (LabelServer server = LabelServerTestSupport.start(dataset, labelFile)) {
      Process process = new ProcessBuilder(node, E2E.resolve("label-page.test.mjs").toString(),
          server.url().toString(), labelFile.toString())
          .directory(E2E.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      boolean finished = process.waitFor(90, TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly();
      }
      assertTrue(finished, "the page test did not finish in 90 s:\n" + Files.readString(log));
      exit = process.exitValue();
    }

    assertEquals(0, exit, "the page test failed:\n" + Files.readString(log));
    assertEquals(4, LabelFile.read(labelFile).size());
  }

  private static String findOnPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String folder : path.split(File.pathSeparator)) {
      Path candidate = Path.of(folder, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
