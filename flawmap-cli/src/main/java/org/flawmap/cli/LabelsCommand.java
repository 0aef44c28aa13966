package org.flawmap.cli;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.flawmap.dataset.Dataset;
import org.flawmap.labels.LabelFile;
import org.flawmap.labels.LabelSuggester;
import org.flawmap.labels.LabelValidator;
import org.flawmap.labels.Labels;
import org.flawmap.labels.web.LabelServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "labels",
    mixinStandardHelpOptions = true,
    description = "Draft and check product-agnostic defect labels (docs/labels.md).",
    subcommands = {LabelsCommand.Suggest.class, LabelsCommand.Check.class,
        LabelsCommand.Serve.class})
final class LabelsCommand {

  @Command(
      name = "suggest",
      mixinStandardHelpOptions = true,
      description = {
        "Draft a label file for a person to confirm: one row per anomalous image with a"
            + " category and background from the default mapping by defect type, combined where"
            + " the mask has components of different character, and the evidence in the note."
      })
  static final class Suggest implements Callable<Integer> {

    @Mixin DatasetLocation location;

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "Label file (CSV) to write.")
    Path output;

    @Option(names = "--force",
        description = "Overwrite an existing label file, losing any edits made to it.")
    boolean force;

    @Override
    public Integer call() throws Exception {
      OutputPaths.file(output);
      if (java.nio.file.Files.exists(output) && !force) {
        throw new IllegalArgumentException(
            output + " exists and may hold edited labels; choose another --output, or add --force"
                + " to overwrite it");
      }
      Dataset data = location.read();
      var suggestion = new LabelSuggester().suggest(data);
      LabelFile.write(output, suggestion.rows());
      System.out.println(suggestion.summary().describe());
      System.out.println("label file written to " + output + "; review it before use");
      return 0;
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Validate a label file against a dataset: every row that does not match an"
          + " anomalous image is named, and unlabelled anomalous images are listed.")
  static final class Check implements Callable<Integer> {

    @Mixin DatasetLocation location;

    @Option(names = "--labels", required = true, paramLabel = "FILE",
        description = "Label file (CSV).")
    Path labels;

    @Override
    public Integer call() throws Exception {
      Labels checked = LabelValidator.validate(labels, location.read());
      System.out.println(checked.report());
      return checked.hasProblems() ? Main.EXIT_INVALID_INPUT : 0;
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Open a local labelling page: one anomalous image at a time with its mask"
          + " outline and a defect-free reference, where each choice of category, background"
          + " or note is saved at once to the label file. Runs until Ctrl-C.")
  static final class Serve implements Callable<Integer> {

    @Mixin DatasetLocation location;

    @Option(names = "--labels", required = true, paramLabel = "FILE",
        description = "Label file (CSV) to edit; created on the first save when missing.")
    Path labels;

    @Option(names = "--port", defaultValue = "0", paramLabel = "N",
        description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
        description = "Address to listen on (default: ${DEFAULT-VALUE}, reachable only from"
            + " this machine). Another address lets other machines change the label file.")
    String bind;

    @Override
    public Integer call() throws Exception {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "--port must be in 0..65535 (0 picks a free port), found " + port);
      }
      if (Files.isDirectory(labels)) {
        throw new IllegalArgumentException("--labels " + labels + " is a folder; name the label"
            + " file (CSV) to edit, for example " + labels.resolve("labels.csv"));
      }
      Dataset data = location.read();
      LabelServer server = LabelServer.start(data, labels, InetAddress.getByName(bind), port);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "flawmap-label-server-stop"));
      System.out.println("labelling page at " + server.url() + " (Ctrl-C stops it)");
      stopped.await();
      return 0;
    }
  }
}
