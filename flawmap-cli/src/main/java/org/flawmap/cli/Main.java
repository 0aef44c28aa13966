package org.flawmap.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code flawmap} command. Exit codes: 0 success, 1 failure while running, 2 invalid
 * command line, 3 invalid input (dataset, model file, image or option value).
 */
@Command(
    name = "flawmap",
    mixinStandardHelpOptions = true,
    versionProvider = Versions.class,
    description = "Unsupervised anomaly localization for visual inspection.",
    subcommands = {
      FitCommand.class,
      TestCommand.class,
      ThresholdsCommand.class,
      PredictCommand.class,
      ServeCommand.class,
      RunCommand.class,
      BenchmarkCommand.class,
      AdviseCommand.class,
      LabelsCommand.class,
      BackboneCommand.class,
      ModelsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_INVALID_INPUT = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code; tests call this directly. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      cli.getErr().println(
          "flawmap: error: out of memory (" + e.getMessage() + "); raise the heap, for example"
              + " FLAWMAP_JAVA_OPTS=-Xmx8g, or lower --batch-size");
      return EXIT_FAILURE;
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command, see --help");
  }
}
