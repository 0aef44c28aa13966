package org.flawmap.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flawmap.benchmark.BenchmarkConfig;
import org.flawmap.benchmark.BenchmarkRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description = {
      "Run every model and threshold estimator of a configuration (YAML or JSON,"
          + " docs/benchmark.md) on every dataset, and write results.csv, results.json and"
          + " report.html.",
      "Each finished cell is kept in OUTPUT/cells/, so running the same command again after an"
          + " interruption resumes where it stopped."
    })
final class BenchmarkCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "Benchmark configuration, .yaml, .yml or .json.")
  Path config;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Folder for the cells, results and report.")
  Path output;

  @Option(names = "--threads", paramLabel = "N",
      description = "Backbone threads (default: all processors).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    BenchmarkConfig parsed = BenchmarkConfig.read(config);
    OutputPaths.folder(output);
    int backboneThreads = Threads.backbone(threads);
    BenchmarkRunner runner =
        new BenchmarkRunner(
            parsed, output, name -> Backbones.open(name, backboneThreads).extractor(),
            Versions.flawmap());
    BenchmarkRunner.Outcome outcome = runner.run();
    System.out.printf(
        "benchmark: %d cells, %d computed now, %d from an earlier run; results in %s%n",
        outcome.cells(), outcome.computed(), outcome.reused(), output.resolve("results.csv"));
    return 0;
  }
}
