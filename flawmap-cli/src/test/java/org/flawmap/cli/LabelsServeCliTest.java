package org.flawmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.flawmap.testing.TinyDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input checks of {@code labels serve}, which fail before the server starts. */
class LabelsServeCliTest {

  @TempDir Path tmp;

  @Test
  void serveRejectsInvalidPort() {
    Path dataset = TinyDatasets.writeMvtec(tmp);

    CliTest.Run serve = CliTest.run("labels", "serve", "--dataset", dataset.toString(),
        "--labels", tmp.resolve("labels.csv").toString(), "--port", "70000");

    assertEquals(Main.EXIT_INVALID_INPUT, serve.exitCode(), serve.err());
    assertTrue(serve.err().contains("--port must be in 0..65535"), serve.err());
  }

  @Test
  void serveRejectsFolderAsLabels() {
    Path dataset = TinyDatasets.writeMvtec(tmp);

    CliTest.Run serve = CliTest.run("labels", "serve", "--dataset", dataset.toString(),
        "--labels", tmp.toString());

    assertEquals(Main.EXIT_INVALID_INPUT, serve.exitCode(), serve.err());
    assertTrue(serve.err().contains("is a folder"), serve.err());
  }

  @Test
  void serveHelpNamesBindAndPort() {
    CliTest.Run help = CliTest.run("labels", "serve", "--help");

    assertEquals(0, help.exitCode(), help.err());
    assertTrue(help.out().contains("--bind"), help.out());
    assertTrue(help.out().contains("--port"), help.out());
  }
}
