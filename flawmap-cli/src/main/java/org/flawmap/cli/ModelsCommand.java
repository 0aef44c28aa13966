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
      String names = String.join(", ", new TreeSet<>(type.optionNames()));
      if (type.name().equals("padim") || type.name().equals("patchcore")) {
        // The built-in types take flags on fit; their option names are only config keys.
        System.out.printf("%-12s benchmark config keys: %s%n", "", names);
        System.out.printf("%-12s on fit and run: the --%s-* options (fit --help)%n",
            "", type.name());
      } else {
        System.out.printf("%-12s options: %s%n", "", names);
        System.out.printf("%-12s on fit: --model-option KEY=VALUE; see docs/models/%s.md%n",
            "", type.name());
      }
    }
    return 0;
  }
}
