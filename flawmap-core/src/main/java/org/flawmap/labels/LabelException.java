package org.flawmap.labels;

import java.util.List;

/**
 * An invalid label file or mapping file, or label rows that do not match a dataset. The message
 * names the file and lists every problem, one a line; {@link #problems()} returns them as a list.
 */
public class LabelException extends RuntimeException {

  private final List<String> problems;

  /**
   * @param summary first line of the message, naming the file or dataset
   * @param problems every problem found, each naming its line, column or sample id
   */
  public LabelException(String summary, List<String> problems) {
    super(summary + (problems.isEmpty() ? "" : "\n  " + String.join("\n  ", problems)));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
