package org.flawmap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flawmap.benchmark.Advisor;
import org.flawmap.labels.LabelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "advise",
    mixinStandardHelpOptions = true,
    description = {
      "Recommend a model and a threshold estimator for a product, with reasons: from the mix of"
          + " defect categories in its label file and, given benchmark results, from the"
          + " measured mean IoU per category."
    })
final class AdviseCommand implements Callable<Integer> {

  @Option(names = "--labels", required = true, paramLabel = "FILE",
      description = "The product's label file (CSV).")
  Path labels;

  @Option(names = "--results", paramLabel = "DIR",
      description = "Output folder of flawmap benchmark, with results.json.")
  Path results;

  @Override
  public Integer call() throws Exception {
    JsonNode measured = null;
    if (results != null) {
      Path file = Files.isRegularFile(results) ? results : results.resolve("results.json");
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            file + " not found; pass the --output folder of a finished flawmap benchmark");
      }
      try {
        measured = new ObjectMapper().readTree(file.toFile());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException(
            file + " is not valid JSON (" + e.getOriginalMessage() + "); run the benchmark again",
            e);
      }
    }
    System.out.print(Advisor.advise(LabelFile.read(labels), measured).format());
    return 0;
  }
}
