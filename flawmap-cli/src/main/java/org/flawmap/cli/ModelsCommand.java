package org.flawmap.cli;

import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.flawmap.model.ModelType;
import org.flawmap.model.ModelTypes;
import picocli.CommandLine.Command;

/** Lists the model types on the class path, with their options. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "List the model types that fit, test and benchmark accept, with their options.")
final class ModelsCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    for (ModelType type : ModelTypes.all().values()) {
      System.out.printf("%-12s %s%n", type.name(), type.summary());
      System.out.printf("%-12s options: %s%n", "", String.join(", ",
          new TreeSet<>(type.optionNames())));
    }
    return 0;
  }
}
